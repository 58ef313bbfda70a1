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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from kollega.communities.models import Membership
from kollega.network.models import Contact, TagFollow
from kollega.notifications.models import MailChoice
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
    referred = Referral.objects.filter(person=person, status=ReferralStatus.WAITING).values(
        "question_id"
    )
    followed = TagFollow.objects.filter(follower=person).values("tag_id")
    on_my_tags = Question.objects.filter(_in(window, "asked_at"), post__tags__in=followed).values(
        "pk"
    )
    questions = list(
        Question.objects.filter(status=QuestionStatus.OPEN)
        .filter(Q(pk__in=referred) | Q(pk__in=on_my_tags))
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
    answers = list(
        Answer.objects.filter(_in(window, "created_at"), question__post__author=person)
        .exclude(author=person)
        .filter(_visible_posts(person, "question__post__"))
        .select_related("author", "question")
        .order_by("-created_at", "-pk")[:ITEMS_PER_SECTION]
    )
    comments = list(
        Comment.objects.filter(_in(window, "created_at"), post__author=person)
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
    found = list(
        Mention.objects.filter(_in(window, "created_at"), person=person)
        .exclude(post__author=person, comment__isnull=True)
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


def _count_in(model, window: Window, post_field: str, person_field: str, person: Person):
    """How many `model` rows (comments, answers, recommendations) a post got in the
    period from others than `person`: one's own comment does not make a thread news."""
    counted = (
        model.objects.filter(_in(window, "created_at"), **{post_field: OuterRef("pk")})
        .exclude(**{person_field: person})
        .order_by()
        .values(post_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def active_threads(person: Person, window: Window, shown: set[int]) -> Section | None:
    """The period's most active threads in `person`'s network, communities and followed
    tags, ranked by activity in the period: comments, answers and recommendations."""
    contacts = Contact.objects.filter(person=person).values("contact_id")
    communities = Membership.objects.filter(person=person).values("community_id")
    followed = TagFollow.objects.filter(follower=person).values("tag_id")
    tagged = Post.tags.through.objects.filter(
        tag__in=followed, last_activity_at__gte=window.start
    ).values("post_id")
    threads = list(
        Post.objects.filter(last_activity_at__gte=window.start, created_at__lt=window.end)
        .filter(Q(author__in=contacts) | Q(community__in=communities) | Q(pk__in=tagged))
        .exclude(author=person)
        .exclude(pk__in=shown)
        .filter(_visible_posts(person))
        .annotate(
            activity=_count_in(Comment, window, "post", "author", person)
            + _count_in(Answer, window, "question__post", "author", person)
            + _count_in(Recommendation, window, "post", "person", person)
        )
        .filter(activity__gt=0)
        .select_related("author", "question", "community")
        .order_by("-activity", "-last_activity_at", "-pk")[:ITEMS_PER_SECTION]
    )
    items = []
    for post in threads:
        where = post.community.name if post.community_id else post.author.name
        meta = _("%(where)s · %(count)d new replies and recommendations") % {
            "where": where,
            "count": post.activity,
        }
        items.append(Item(_post_title(post), post.get_absolute_url(), meta, _excerpt(post.body)))
        shown.add(post.pk)
    return Section("threads", _("Most active threads around you"), items)


def digest_notifications(person: Person, window: Window, shown: set[int]) -> Section | None:
    """The period's notifications of the kinds `person` wants in their digest, but for
    those about a post an earlier section already listed."""
    from kollega.digests.services import mail_choices_of
    from kollega.mail.notification_mails import _item as notification_item

    kinds = [k for k, c in mail_choices_of(person).items() if c == MailChoice.DIGEST]
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


# The digest's sections, in the order they appear. The recommendations section goes
# after the active threads when the recommendations app is merged.
SECTIONS: list[SectionBuilder] = [
    waiting_questions,
    replies_to_me,
    mentions,
    active_threads,
    digest_notifications,
]
