"""What a digest says, section by section, each item read through the permission module.

`SECTIONS` is the ordered list of section builders: a builder takes the
person, the digest's `Window` and the ids of the posts earlier sections
already listed, and returns a `Section` (or None when it has nothing). A new
section (recommendations, say) is one more builder in the list.

Every query here filters with the read rules of `kollega.permissions`
(`posts.visible_filter` for posts, questions, answers, comments and mentions;
`notifications.visible_notifications_filter` through `notifications_for`),
applied when the digest is built, not when the thing happened: a post the
person may no longer see (a restricted community left, a contact removed, a
classification raised) is not in their digest.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kollega.communities.models import Membership
from kollega.digests.models import Period
from kollega.network.models import Contact, TagFollow
from kollega.notifications.models import MailChoice, Notification
from kollega.notifications.services import notifications_for
from kollega.people.models import Person
from kollega.permissions.compiled import compiled_rule
from kollega.permissions.posts import visible_filter
from kollega.posts.models import Comment, Mention, Post, Recommendation
from kollega.qa.models import Answer, Question, QuestionStatus, Referral, ReferralStatus

# The most items one section lists; the rest are a click away.
ITEMS_PER_SECTION = 5
EXCERPT_LENGTH = 160


@dataclass(frozen=True)
class Window:
    """The stretch of time a digest covers: [start, end), ending at the person's morning."""

    period: str
    start: datetime
    end: datetime


@dataclass
class Item:
    title: str
    url: str
    meta: str = ""
    excerpt: str = ""
    html: str = ""  # a ready fragment (a notification as the notifications page words it)


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


SectionBuilder = Callable[[Person, Window, set[int]], Section | None]


@dataclass
class PeriodActivity:
    """Who did what in one period, read once for everyone whose digest covers it.

    `posts`: {post id: (author id, community id)} of every thread active in the
    period (a comment or an answer lifts a thread's `last_activity_at`);
    `actors`: {post id: {person id: comments, answers and recommendations}};
    `tags`: {post id: tag ids}; `open_questions`. Nothing here is shown as it is: each section
    reads what it lists through the permission module.
    """

    posts: dict[int, tuple[int, int | None]]
    actors: dict[int, Counter]
    tags: dict[int, frozenset]
    # {question id: tag ids} of the questions asked in the period and still unanswered
    open_questions: dict[int, frozenset]


_run: ContextVar[dict | None] = ContextVar("digest_run", default=None)


@contextmanager
def one_run():
    """A run of many digests: each period's activity is read once, for all of them."""
    token = _run.set({})
    try:
        yield
    finally:
        _run.reset(token)


def period_activity(start: datetime, end: datetime) -> PeriodActivity:
    """The activity of [start, end): read once per run (`one_run`) for everyone whose
    digest covers it (everyone in one time zone), else read afresh."""
    cache = _run.get()
    if cache is None:
        return _read_activity(start, end)
    if (start, end) not in cache:
        cache[(start, end)] = _read_activity(start, end)
    return cache[(start, end)]


def _read_activity(start: datetime, end: datetime) -> PeriodActivity:
    active = Post.objects.filter(last_activity_at__gte=start, created_at__lt=end)
    window = Window("", start, end)
    actors: dict[int, Counter] = defaultdict(Counter)
    for post_id, author_id in Comment.objects.filter(
        _in(window, "created_at"), post__in=active.values("pk")
    ).values_list("post_id", "author_id"):
        actors[post_id][author_id] += 1
    for post_id, author_id in Answer.objects.filter(
        _in(window, "created_at"), question__post__in=active.values("pk")
    ).values_list("question__post_id", "author_id"):
        actors[post_id][author_id] += 1
    for post_id, person_id in Recommendation.objects.filter(_in(window, "created_at")).values_list(
        "post_id", "person_id"
    ):
        actors[post_id][person_id] += 1
    ids = list(actors)
    posts, tags = {}, defaultdict(set)
    for start_at in range(0, len(ids), 500):
        some = ids[start_at : start_at + 500]
        for pk, author_id, community_id in Post.objects.filter(pk__in=some).values_list(
            "pk", "author_id", "community_id"
        ):
            posts[pk] = (author_id, community_id)
        for post_id, tag_id in Post.tags.through.objects.filter(post__in=some).values_list(
            "post_id", "tag_id"
        ):
            tags[post_id].add(tag_id)
    asked = defaultdict(set)
    for question_id, tag_id in Question.objects.filter(
        _in(window, "asked_at"), status=QuestionStatus.OPEN
    ).values_list("pk", "post__tags"):
        if tag_id is not None:
            asked[question_id].add(tag_id)
    return PeriodActivity(
        posts=posts,
        actors=dict(actors),
        tags={k: frozenset(v) for k, v in tags.items()},
        open_questions={k: frozenset(v) for k, v in asked.items()},
    )


@dataclass
class Circle:
    """The people, communities and tags around a person: what makes a thread theirs."""

    contacts: set[int]
    communities: set[int]
    tags: set[int]


def circle_of(person: Person) -> Circle:
    """`person`'s contacts, communities and followed tags (read once per digest)."""
    if not hasattr(person, "_digest_circle"):
        person._digest_circle = Circle(
            contacts=set(
                Contact.objects.filter(person=person).values_list("contact_id", flat=True)
            ),
            communities=set(
                Membership.objects.filter(person=person).values_list("community_id", flat=True)
            ),
            tags=set(TagFollow.objects.filter(follower=person).values_list("tag_id", flat=True)),
        )
    return person._digest_circle


def _hint(person: Person, name: str) -> set | None:
    """What a run read ahead for this person's chunk (`services._hints`); None outside a run."""
    hints = getattr(person, "_digest_hints", None)
    return None if hints is None else hints[name]


def _visible_posts(person: Person, prefix: str = ""):
    """The posts rule of `permissions.posts`, its SQL compiled once per process."""
    return compiled_rule(visible_filter, Post, person, prefix, anchor="audience")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _post_title(post: Post) -> str:
    question = post.question_or_none
    return question.title if question else _excerpt(post.body)


def _in(window: Window, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": window.start, f"{field_name}__lt": window.end})


def waiting_questions(person: Person, window: Window, shown: set[int]) -> Section | None:
    """Unanswered questions waiting for `person`: sent or referred to them (still
    waiting for their answer), or asked in the period on a tag they follow."""
    candidates = _hint(person, "referred")
    if candidates is None:
        candidates = set(
            Referral.objects.filter(person=person, status=ReferralStatus.WAITING).values_list(
                "question_id", flat=True
            )
        )
    activity = period_activity(window.start, window.end)
    followed = circle_of(person).tags
    candidates = set(candidates) | {
        question_id
        for question_id, tags in activity.open_questions.items()
        if not followed.isdisjoint(tags)
    }
    if not candidates:
        return None
    questions = list(
        Question.objects.filter(pk__in=candidates, status=QuestionStatus.OPEN)
        .exclude(post__author=person)
        .filter(_visible_posts(person, "post__"))
        .select_related("post__author")
        .order_by("-asked_at", "-pk")[:ITEMS_PER_SECTION]
    )
    items = [
        Item(
            title=q.title,
            url=reverse("question", args=[q.pk]),
            meta=_("Asked by %(name)s") % {"name": q.post.author.name},
            excerpt=_excerpt(q.post.body),
        )
        for q in questions
    ]
    shown.update(q.post_id for q in questions)
    return Section("questions", _("Questions waiting for you"), items)


def replies_to_me(person: Person, window: Window, shown: set[int]) -> Section | None:
    """Answers to `person`'s questions and comments on their posts, from the period."""
    activity = period_activity(window.start, window.end)
    mine = [
        post_id
        for post_id, (author, _community) in activity.posts.items()
        if author == person.pk and set(activity.actors[post_id]) - {person.pk}
    ]
    if not mine:
        return None
    answers = list(
        Answer.objects.filter(_in(window, "created_at"), question__post__in=mine)
        .exclude(author=person)
        .filter(_visible_posts(person, "question__post__"))
        .select_related("author", "question")
        .order_by("-created_at", "-pk")[:ITEMS_PER_SECTION]
    )
    comments = list(
        Comment.objects.filter(_in(window, "created_at"), post__in=mine)
        .exclude(author=person)
        .filter(_visible_posts(person, "post__"))
        .select_related("author", "post__question")
        .order_by("-created_at", "-pk")[:ITEMS_PER_SECTION]
    )
    replies = sorted(answers + comments, key=lambda r: r.created_at, reverse=True)
    items = []
    for reply in replies[:ITEMS_PER_SECTION]:
        if isinstance(reply, Answer):
            meta = _("%(name)s answered your question") % {"name": reply.author.name}
            items.append(
                Item(
                    reply.question.title,
                    reply.question.get_absolute_url(),
                    meta,
                    _excerpt(reply.body),
                )
            )
            shown.add(reply.question.post_id)
        else:
            meta = _("%(name)s commented on your post") % {"name": reply.author.name}
            items.append(
                Item(
                    _post_title(reply.post),
                    reply.post.get_absolute_url(),
                    meta,
                    _excerpt(reply.body),
                )
            )
            shown.add(reply.post_id)
    return Section("replies", _("Answers and comments on what you wrote"), items)


def mentions(person: Person, window: Window, shown: set[int]) -> Section | None:
    """Posts and comments of the period that mention `person`."""
    mentioned = Mention.objects.filter(_in(window, "created_at"), person=person)
    hint = _hint(person, "mentioned")
    if hint is not None and not hint:
        return None
    if hint is None and not mentioned.exists():
        return None
    found = list(
        mentioned.exclude(post__author=person, comment__isnull=True)
        .filter(_visible_posts(person, "post__"))
        .select_related("post__author", "post__question", "comment__author")
        .order_by("-created_at", "-pk")[:ITEMS_PER_SECTION]
    )
    items = []
    for mention in found:
        by = mention.comment.author if mention.comment_id else mention.post.author
        text = mention.comment.body if mention.comment_id else mention.post.body
        meta = _("%(name)s mentioned you") % {"name": by.name}
        items.append(
            Item(_post_title(mention.post), mention.post.get_absolute_url(), meta, _excerpt(text))
        )
        shown.add(mention.post_id)
    return Section("mentions", _("Mentions of you"), items)


def active_threads(person: Person, window: Window, shown: set[int]) -> Section | None:
    """The period's most active threads in `person`'s network, communities and followed
    tags, ranked by activity in the period from others: comments, answers and
    recommendations (one's own comment does not make a thread news)."""
    activity = period_activity(window.start, window.end)
    circle = circle_of(person)
    ranked = []
    for post_id, actors in activity.actors.items():
        author, community = activity.posts.get(post_id, (None, None))
        if author == person.pk or post_id in shown:
            continue
        near = (
            author in circle.contacts
            or community in circle.communities
            or not circle.tags.isdisjoint(activity.tags.get(post_id, ()))
        )
        score = sum(actors.values()) - actors.get(person.pk, 0)
        if near and score > 0:
            ranked.append((-score, post_id))
    if not ranked:
        return None
    ranked.sort()
    candidates = [post_id for _score, post_id in ranked[: ITEMS_PER_SECTION * 4]]
    visible = {
        post.pk: post
        for post in Post.objects.filter(pk__in=candidates)
        .filter(_visible_posts(person))
        .select_related("author", "question", "community")
    }
    items = []
    for score, post_id in ranked[: ITEMS_PER_SECTION * 4]:
        post = visible.get(post_id)
        if post is None or len(items) == ITEMS_PER_SECTION:
            continue
        where = post.community.name if post.community_id else post.author.name
        meta = _("%(where)s · %(count)d new replies and recommendations") % {
            "where": where,
            "count": -score,
        }
        items.append(Item(_post_title(post), post.get_absolute_url(), meta, _excerpt(post.body)))
        shown.add(post.pk)
    return Section("threads", _("Most active threads around you"), items)


def digest_notifications(person: Person, window: Window, shown: set[int]) -> Section | None:
    """The period's notifications of the kinds `person` wants in their digest, but for
    those about a post an earlier section already listed."""
    from kollega.digests.services import mail_choices_of
    from kollega.mail.notification_mails import notification_item

    kinds = [k for k, c in mail_choices_of(person).items() if c == MailChoice.DIGEST]
    hint = _hint(person, "notified")
    if hint is not None:
        kinds = [kind for kind in kinds if kind in hint]
    if not kinds:
        return None
    waiting = Notification.objects.filter(
        _in(window, "created_at"), recipient=person, kind__in=kinds
    )
    if hint is None and not waiting.exists():
        return None
    found = list(
        notifications_for(person)
        .filter(_in(window, "created_at"), kind__in=kinds)
        .exclude(post__in=list(shown))
        .select_related("community", "wiki_page", "moderation", "post__author")[
            : ITEMS_PER_SECTION * 2
        ]
    )
    items = []
    for notification in found:
        if notification.post_id and notification.post_id in shown:
            continue  # two notifications about one post: the newer is enough
        if notification.post_id:
            shown.add(notification.post_id)
        rendered = notification_item(person, notification)
        items.append(
            Item(rendered["text"], rendered["url"], "", rendered["excerpt"], rendered["html"])
        )
    return Section("notifications", _("Your other notifications"), items[:ITEMS_PER_SECTION])


def recommended(person: Person, window: Window, shown: set[int]) -> Section | None:
    """People, communities and content recommended to `person`, each with its reasons
    (`recommendations.services.recommend`, which applies visibility and privacy); in the
    weekly digest only: a weekly nudge, and a daily one would cost every morning what a
    home page costs, for suggestions that change slowly."""
    if window.period != Period.WEEKLY:
        return None
    from kollega.recommendations.services import recommend

    found = [
        r
        for r in recommend(person, limit_per_kind=2)
        if not (r.kind == "content" and r.id in shown)
    ]
    if not found:
        return None
    items = [Item(r.title, r.url, " · ".join(r.reasons)) for r in found]
    return Section("recommended", _("Recommended for you"), items)


# The digest's sections, in the order they appear.
SECTIONS: list[SectionBuilder] = [
    waiting_questions,
    replies_to_me,
    mentions,
    active_threads,
    recommended,
    digest_notifications,
]
