"""Recommendations with reasons: people to add, communities to join, content to read.

`recommend(person)` is what the home page, the profile, the API and the digest ask.
Every recommendation says why, in a sentence with its numbers ("You share 6
contacts", "3 of your contacts are members"), translated into the reader's language.

What is never recommended (docs/recommendations.md):

- oneself, one's contacts, people one has invited, deactivated colleagues and anyone
  who said no to being suggested (`permissions.privacy.recommendable_filter`);
- shared contacts of someone who keeps their contacts from the viewer: they neither
  count nor show (`permissions.privacy.contacts_visible_filter`);
- communities one is in, or may not know exist (`permissions.communities`), and
  members of communities whose members one may not see;
- content one may not see (`permissions.posts`), wrote, or already liked or commented on;
  bookmarks count only when the viewer may see them (`permissions.bookmarks`);
- anything the person said "Not interested" to (`Dismissal`).

Each kind reads a bounded number of rows (the `*_ROWS` limits below), whatever the
size of the organisation, so the home page's cost stays flat. Results are cached
per person and language for `KOLLEGA_RECOMMENDATIONS_CACHE_SECONDS`; a dismissal
clears the person's cache.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import Resolver404, resolve
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from kollega.communities.models import Community, Membership
from kollega.content.bookmarks.models import Bookmark
from kollega.network.models import Contact, Invitation, TagFollow
from kollega.network.services import contact_ids
from kollega.people.models import Person, PersonTag
from kollega.permissions.bookmarks import visible_bookmarks_filter
from kollega.permissions.communities import (
    visible_communities_filter,
    visible_memberships_filter,
)
from kollega.permissions.privacy import contacts_visible_filter, recommendable_filter
from kollega.permissions.questions import visible_questions_filter
from kollega.posts.models import Comment, Post
from kollega.posts.models import Recommendation as Like
from kollega.qa.models import Answer, Question
from kollega.recommendations.models import Dismissal, Kind

# Bounds on what one recommendation reads (rows), whatever the organisation's size.
CONTACTS_OF_CONTACTS_ROWS = 5000  # (shared contact, candidate) pairs
TAGS_READ = 50  # one's own tags and followed tags looked at
TAGGED_PEOPLE_ROWS = 2000  # (person, tag) pairs of people carrying those tags
ANSWERERS_ROWS = 200  # answers to one's questions, newest first
DEPARTMENT_ROWS = 300  # colleagues in one's department
COMMUNITY_ROWS = 50  # candidate communities per source
REACTION_ROWS = 500  # newest likes, comments and bookmarks per source
CONTENT_CANDIDATES = 60  # posts with the most reactions, checked against visibility

# How much each piece of evidence weighs for people (tuned on bench/recommendations.py;
# docs/recommendations.md). Shared contacts: the resource-allocation sum, each shared
# contact adding 1 / their number of contacts (0.05 for one with 20 contacts).
WEIGHT_SHARED_CONTACTS = 1.0
WEIGHT_TAG = 0.1  # per shared tag, divided by log(2 + people carrying it)
WEIGHT_ANSWERED = 0.1  # per question of mine answered (at most 3 count)
WEIGHT_DEPARTMENT = 0.1  # in my department

REASONS_SHOWN = 3


@dataclass
class Recommendation:
    """One suggestion: what (`kind`, `id`), how to show it (`title`, `url`, a path) and why.

    `reasons` are sentences in the active language, strongest first.
    """

    kind: str  # "person" | "community" | "content"
    id: int
    title: str
    url: str
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0


def _active(person: Person | None) -> bool:
    return person is not None and person.pk is not None and person.user.is_active


def dismissed_ids(person: Person, kind: str) -> set[int]:
    """The ids of `kind` that `person` said "Not interested" to."""
    return set(
        Dismissal.objects.filter(person=person, kind=kind).values_list("object_id", flat=True)
    )


# --- people ---------------------------------------------------------------------------------


@dataclass
class _Evidence:
    """What speaks for one candidate person."""

    shared: set = field(default_factory=set)  # ids of the shared contacts
    shared_weight: float = 0.0  # the sum of 1 / degree over the shared contacts
    tags: dict = field(default_factory=dict)  # tag name -> weight
    answered: int = 0
    department: str = ""

    def score(self) -> float:
        return (
            WEIGHT_SHARED_CONTACTS * self.shared_weight
            + WEIGHT_TAG * sum(self.tags.values())
            + WEIGHT_ANSWERED * min(self.answered, 3)
            + (WEIGHT_DEPARTMENT if self.department else 0.0)
        )

    def reasons(self) -> list[str]:
        parts = []  # (weight, sentence)
        if self.shared:
            n = len(self.shared)
            text = ngettext("You share %(count)d contact", "You share %(count)d contacts", n)
            parts.append((WEIGHT_SHARED_CONTACTS * self.shared_weight, text % {"count": n}))
        if self.answered:
            n = self.answered
            text = ngettext("Answered your question", "Answered %(count)d of your questions", n) % {
                "count": n
            }
            parts.append((WEIGHT_ANSWERED * min(n, 3), text))
        if self.tags:
            name = max(self.tags, key=lambda t: (self.tags[t], t))
            text = _("Also knows #%(tag)s") % {"tag": name}
            parts.append((WEIGHT_TAG * sum(self.tags.values()), text))
        if self.department:
            text = _("Also in %(department)s") % {"department": self.department}
            parts.append((WEIGHT_DEPARTMENT, text))
        parts.sort(key=lambda p: -p[0])
        return [text for _weight, text in parts[:REASONS_SHOWN]]


def _candidate_people(viewer: Person):
    """People who may be suggested to `viewer` at all (a Person queryset)."""
    return Person.objects.filter(recommendable_filter(), user__is_active=True)


def _excluded_people(viewer: Person, contacts: set[int]) -> set[int]:
    invited = Invitation.objects.filter(
        sender=viewer, status=Invitation.Status.PENDING
    ).values_list("recipient_id", flat=True)
    return {viewer.pk} | contacts | set(invited) | dismissed_ids(viewer, Kind.PERSON)


def _shared_contact_evidence(viewer: Person, contacts: set[int], evidence: dict) -> None:
    """Resource allocation over contacts of contacts: each shared contact z adds 1 / (z's
    number of contacts), so one who knows few people says more than one who knows all.

    One query reads the (shared contact, candidate) pairs — the candidates active,
    suggestible and showing their contacts to the viewer — with a LIMIT; a second the
    shared contacts' degrees.
    """
    if not contacts:
        return
    candidates = _candidate_people(viewer).filter(contacts_visible_filter(viewer))
    pairs = list(
        Contact.objects.filter(person_id__in=contacts, person__user__is_active=True)
        .filter(contact__in=candidates.values("pk"))
        .exclude(contact_id__in=contacts)
        .exclude(contact_id=viewer.pk)
        .values_list("person_id", "contact_id")[:CONTACTS_OF_CONTACTS_ROWS]
    )
    if not pairs:
        return
    through = {z for z, _c in pairs}
    degree = dict(
        Contact.objects.filter(person_id__in=through)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    for z, candidate in pairs:
        found = evidence[candidate]
        found.shared.add(z)
        found.shared_weight += 1.0 / max(degree.get(z, 1), 1)


def _tag_ids_of(viewer: Person) -> set[int]:
    """The tags on `viewer` and the tags they follow (the first `TAGS_READ`)."""
    own = PersonTag.objects.filter(person=viewer).values_list("tag_id", flat=True)
    followed = TagFollow.objects.filter(follower=viewer).values_list("tag_id", flat=True)
    return set(list(own[:TAGS_READ]) + list(followed[:TAGS_READ]))


def _tag_evidence(viewer: Person, tags: set[int], excluded: set[int], evidence: dict) -> None:
    """People (who may be suggested to `viewer`) carrying one of `tags`; a rare tag weighs
    more than one half the organisation carries."""
    if not tags:
        return
    carriers = dict(
        PersonTag.objects.filter(tag_id__in=tags)
        .values("tag_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("tag_id", "n")
    )
    rows = (
        PersonTag.objects.filter(tag_id__in=tags, person__in=_candidate_people(viewer).values("pk"))
        .exclude(person_id__in=excluded)
        .values_list("person_id", "tag_id", "tag__name")
        .distinct()[:TAGGED_PEOPLE_ROWS]
    )
    for person_id, tag_id, name in rows:
        evidence[person_id].tags[name] = 1.0 / math.log(2 + carriers.get(tag_id, 1))


def _answerer_evidence(viewer: Person, excluded: set[int], evidence: dict) -> None:
    """Colleagues who answered the viewer's questions (the answers the viewer may see)."""
    rows = (
        Answer.objects.filter(question__post__author=viewer)
        .filter(visible_questions_filter(viewer, prefix="question__"))
        .filter(author__in=_candidate_people(viewer).values("pk"))
        .exclude(author_id__in=excluded)
        .order_by("-created_at")
        .values_list("author_id", "question_id")[:ANSWERERS_ROWS]
    )
    questions = defaultdict(set)
    for author_id, question_id in rows:
        questions[author_id].add(question_id)
    for author_id, asked in questions.items():
        evidence[author_id].answered = len(asked)


def _department_evidence(viewer: Person, excluded: set[int], evidence: dict) -> None:
    """Colleagues in the viewer's department: a small weight, and the only evidence of a
    newcomer with no contacts, tags or questions yet."""
    if viewer.department_id is None:
        return
    name = viewer.department.name
    rows = (
        _candidate_people(viewer)
        .filter(department_id=viewer.department_id)
        .exclude(pk__in=excluded)
        .order_by("-last_seen_at", "pk")
        .values_list("pk", flat=True)[:DEPARTMENT_ROWS]
    )
    in_department = set(rows)
    # A candidate found another way is in the department too: look at those as well.
    others = [pk for pk in evidence if pk not in in_department]
    if others:
        in_department |= set(
            Person.objects.filter(pk__in=others, department_id=viewer.department_id).values_list(
                "pk", flat=True
            )
        )
    for pk in in_department:
        evidence[pk].department = name


def _best_people(evidence: dict, limit: int) -> list[Recommendation]:
    """The `limit` people with the strongest evidence, best first, as recommendations."""
    ranked = sorted(evidence.items(), key=lambda item: (-item[1].score(), item[0]))[:limit]
    people = Person.objects.select_related("user").in_bulk([pk for pk, _e in ranked])
    return [
        Recommendation(
            kind=Kind.PERSON.value,
            id=pk,
            title=people[pk].name,
            url=people[pk].get_absolute_url(),
            reasons=found.reasons(),
            score=found.score(),
        )
        for pk, found in ranked
        if pk in people
    ]


def recommend_people(viewer: Person, limit: int = 3) -> list[Recommendation]:
    """Colleagues `viewer` may want as contacts, best first, each with its reasons.

    Evidence: shared contacts (resource allocation: a shared contact with few contacts
    says more than one who knows everybody), tags on the viewer or followed by them that
    the colleague carries too (rare tags weigh more), answers to the viewer's
    questions, and the same department.
    """
    if not _active(viewer) or limit <= 0:
        return []
    contacts = contact_ids(viewer)
    excluded = _excluded_people(viewer, contacts)
    evidence: dict[int, _Evidence] = defaultdict(_Evidence)
    _shared_contact_evidence(viewer, contacts, evidence)
    _tag_evidence(viewer, _tag_ids_of(viewer), excluded, evidence)
    _answerer_evidence(viewer, excluded, evidence)
    _department_evidence(viewer, excluded, evidence)
    for pk in excluded:
        evidence.pop(pk, None)
    return _best_people(evidence, limit)


def colleagues_like(viewer: Person, person: Person, limit: int = 3) -> list[Recommendation]:
    """Colleagues who know what `person` knows (the tags on them, rare ones weighing more),
    for `viewer` on `person`'s profile: never the viewer, `person`, the viewer's contacts,
    or anyone who may not be suggested."""
    if not _active(viewer) or limit <= 0:
        return []
    tags = set(PersonTag.objects.filter(person=person).values_list("tag_id", flat=True)[:TAGS_READ])
    if not tags:
        return []
    excluded = _excluded_people(viewer, contact_ids(viewer)) | {person.pk}
    evidence: dict[int, _Evidence] = defaultdict(_Evidence)
    _tag_evidence(viewer, tags, excluded, evidence)
    return _best_people(evidence, limit)


# --- communities ----------------------------------------------------------------------------


def recommend_communities(viewer: Person, limit: int = 3) -> list[Recommendation]:
    """Communities `viewer` may want to join, best first, each with its reasons.

    Evidence: how many of the viewer's contacts are members (only where the viewer may
    see the members), and the community's tags the viewer follows or carries. Only
    communities the viewer may know exist, and is not in.
    """
    if not _active(viewer) or limit <= 0:
        return []
    contacts = contact_ids(viewer)
    visible = Community.objects.filter(visible_communities_filter(viewer)).exclude(
        memberships__person=viewer
    )
    visible = visible.exclude(pk__in=dismissed_ids(viewer, Kind.COMMUNITY))
    members = dict(
        Membership.objects.filter(person_id__in=contacts, person__user__is_active=True)
        .filter(visible_memberships_filter(viewer), community__in=visible.values("pk"))
        .values("community_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "community_id")
        .values_list("community_id", "n")[:COMMUNITY_ROWS]
    )
    followed = set(TagFollow.objects.filter(follower=viewer).values_list("tag_id", flat=True))
    known = set(
        PersonTag.objects.filter(person=viewer).values_list("tag_id", flat=True)[:TAGS_READ]
    )
    by_tag = defaultdict(list)  # community id -> [(followed?, tag name)]
    rows = (
        Community.tags.through.objects.filter(
            tag_id__in=list(followed | known)[: 2 * TAGS_READ],
            community__in=visible.values("pk"),
        )
        .values_list("community_id", "tag_id", "tag__name")
        .order_by("community_id")[: COMMUNITY_ROWS * 4]
    )
    for community_id, tag_id, name in rows:
        by_tag[community_id].append((tag_id in followed, name))
    scored = []
    for community_id in set(members) | set(by_tag):
        n = members.get(community_id, 0)
        tags = sorted(by_tag.get(community_id, []), key=lambda t: (not t[0], t[1]))
        reasons = []
        if n:
            reasons.append(
                ngettext(
                    "%(count)d of your contacts is a member",
                    "%(count)d of your contacts are members",
                    n,
                )
                % {"count": n}
            )
        if tags:
            is_followed, name = tags[0]
            text = (
                _("About #%(tag)s, which you follow")
                if is_followed
                else _("About #%(tag)s, which you know about")
            )
            reasons.append(text % {"tag": name})
        score = n + 1.5 * len(tags)
        scored.append((score, community_id, reasons))
    scored.sort(key=lambda s: (-s[0], s[1]))
    scored = scored[:limit]
    communities = Community.objects.in_bulk([cid for _s, cid, _r in scored])
    return [
        Recommendation(
            kind=Kind.COMMUNITY.value,
            id=cid,
            title=communities[cid].name,
            url=communities[cid].get_absolute_url(),
            reasons=reasons[:REASONS_SHOWN],
            score=score,
        )
        for score, cid, reasons in scored
        if cid in communities
    ]


# --- content --------------------------------------------------------------------------------


def _title_of(post: Post) -> str:
    question = post.question_or_none
    if question is not None:
        return question.title
    entry = post.blog_entry_or_none
    if entry is not None:
        return entry.title
    text = " ".join(post.body.split())
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


def _url_of(post: Post) -> str:
    question = post.question_or_none
    if question is not None:
        return question.get_absolute_url()
    entry = post.blog_entry_or_none
    if entry is not None:
        return entry.get_absolute_url()
    return post.get_absolute_url()


def _post_ids_of_paths(paths) -> dict[str, int]:
    """Path (as `Bookmark.path` keeps it) -> the post its page shows: a post's page its
    post, a question's page the question's post. Other paths are left out."""
    posts, questions = {}, {}
    for path in set(paths):
        try:
            match = resolve(path.rstrip("/") + "/")
        except Resolver404:
            continue
        if match.url_name == "post":
            posts[path] = match.kwargs["post_id"]
        elif match.url_name == "question":
            questions[path] = match.kwargs["question_id"]
    if questions:
        post_of = dict(
            Question.objects.filter(pk__in=questions.values()).values_list("pk", "post_id")
        )
        posts.update({path: post_of[q] for path, q in questions.items() if q in post_of})
    return posts


def _reactions(viewer: Person, people) -> dict[int, set[int]]:
    """Post id -> who of `people` (a Person id subquery) liked it, commented on it or saved
    it as a bookmark the viewer may see: each source's newest `REACTION_ROWS`."""
    by_post: dict[int, set[int]] = defaultdict(set)
    likes = (
        Like.objects.filter(person__in=people)
        .order_by("-created_at")
        .values_list("post_id", "person_id")[:REACTION_ROWS]
    )
    comments = (
        Comment.objects.filter(author__in=people)
        .order_by("-created_at")
        .values_list("post_id", "author_id")[:REACTION_ROWS]
    )
    for post_id, person_id in [*likes, *comments]:
        by_post[post_id].add(person_id)
    # Only where post and question pages live (`posts/urls.py`, `qa/urls.py`), so other
    # links do not use up `REACTION_ROWS`.
    pages = Q(path__startswith="/posts/") | Q(path__startswith="/questions/")
    saved = list(
        Bookmark.objects.filter(pages, person__in=people)
        .filter(visible_bookmarks_filter(viewer))
        .order_by("-created_at")
        .values_list("path", "person_id")[:REACTION_ROWS]
    )
    post_of = _post_ids_of_paths(path for path, _person_id in saved)
    for path, person_id in saved:
        if path in post_of:
            by_post[post_of[path]].add(person_id)
    return by_post


def recommend_content(viewer: Person, limit: int = 3) -> list[Recommendation]:
    """Posts, questions and blog entries `viewer` may want to read, best first.

    What counts: colleagues in the viewer's department, and the viewer's contacts, who
    liked (recommended) a post, commented on it, or saved it as a bookmark; each person
    once per post. Only posts the viewer may see (`permissions.posts`), not their own,
    and not those they liked or commented on already.
    """
    if not _active(viewer) or limit <= 0:
        return []
    active = Person.objects.filter(user__is_active=True).exclude(pk=viewer.pk)
    department: set[int] = set()
    if viewer.department_id is not None:
        department = set(
            active.filter(department_id=viewer.department_id).values_list("pk", flat=True)[
                :DEPARTMENT_ROWS
            ]
        )
    contacts = contact_ids(viewer)
    people = department | contacts
    if not people:
        return []
    by_post = _reactions(viewer, active.filter(pk__in=people).values("pk"))
    dismissed = dismissed_ids(viewer, Kind.CONTENT)
    strongest = sorted(
        (pk for pk in by_post if pk not in dismissed), key=lambda pk: (-len(by_post[pk]), -pk)
    )[:CONTENT_CANDIDATES]
    posts = (
        Post.objects.visible_to(viewer)
        .filter(pk__in=strongest)
        .exclude(author=viewer)
        .exclude(board_owner=viewer)
        .exclude(pk__in=Like.objects.filter(person=viewer).values("post_id"))
        .exclude(pk__in=Comment.objects.filter(author=viewer).values("post_id"))
        .select_related("question", "blog_entry")
        .defer("body_html", "blog_entry__body", "blog_entry__body_html")
    )
    scored = []
    for post in posts:
        who = by_post[post.pk]
        in_department, of_contacts = len(who & department), len(who & contacts)
        reasons = []
        if in_department:
            reasons.append(
                ngettext(
                    "%(count)d person in your department liked, saved or commented on this",
                    "%(count)d people in your department liked, saved or commented on this",
                    in_department,
                )
                % {"count": in_department}
            )
        if of_contacts:
            reasons.append(
                ngettext(
                    "%(count)d of your contacts liked, saved or commented on this",
                    "%(count)d of your contacts liked, saved or commented on this",
                    of_contacts,
                )
                % {"count": of_contacts}
            )
        score = len(who)
        scored.append((score, post.last_activity_at, post, reasons))
    scored.sort(key=lambda s: (-s[0], -s[1].timestamp(), s[2].pk))
    return [
        Recommendation(
            kind=Kind.CONTENT.value,
            id=post.pk,
            title=_title_of(post),
            url=_url_of(post),
            reasons=reasons,
            score=float(score),
        )
        for score, _when, post, reasons in scored[:limit]
    ]


# --- together -------------------------------------------------------------------------------


def _cache_key(person: Person, limit: int) -> str:
    return f"recommendations:{person.pk}:{limit}:{get_language() or ''}"


def recommend(person: Person, *, limit_per_kind: int = 3) -> list[Recommendation]:
    """People, then communities, then content for `person`: at most `limit_per_kind` of
    each, best first within each kind, every one with its reasons.

    The home page, the profile, `GET /api/v1/me/recommendations` and the digest ask
    this. Cached per person and language for `KOLLEGA_RECOMMENDATIONS_CACHE_SECONDS`
    (0: never); saying "Not interested" clears the person's cache at once.
    """
    if not _active(person):
        return []
    seconds = settings.KOLLEGA_RECOMMENDATIONS_CACHE_SECONDS
    key = _cache_key(person, limit_per_kind)
    if seconds:
        found = cache.get(key)
        if found is not None:
            return found
    found = [
        *recommend_people(person, limit_per_kind),
        *recommend_communities(person, limit_per_kind),
        *recommend_content(person, limit_per_kind),
    ]
    if seconds:
        cache.set(key, found, seconds)
        _remember_key(person, key, seconds)
    return found


def profile_recommendations(viewer: Person, person: Person) -> list[Recommendation]:
    """What a profile suggests: on one's own, the people one may know (from `recommend`,
    so the home page's cache serves it); on a colleague's, colleagues who know what they
    know (`colleagues_like`)."""
    if viewer.pk == person.pk:
        return [r for r in recommend(viewer) if r.kind == Kind.PERSON]
    return colleagues_like(viewer, person)


def _remember_key(person: Person, key: str, seconds: int) -> None:
    keys_key = f"recommendations:{person.pk}:keys"
    keys = set(cache.get(keys_key) or ()) | {key}
    cache.set(keys_key, sorted(keys), seconds)


def forget_recommendations(person: Person) -> None:
    """Clear `person`'s cached recommendations (after a dismissal)."""
    keys_key = f"recommendations:{person.pk}:keys"
    cache.delete_many([*(cache.get(keys_key) or ()), keys_key])


def dismiss(person: Person, kind: str, object_id: int) -> Dismissal:
    """`person` is not interested in the `kind` ("person", "community" or "content") with id
    `object_id`: it is never recommended to them again. Saying it twice is saying it once.

    Any id is accepted and nothing about it is revealed (whether it exists, or is
    visible): the dismissal only ever removes things from the person's own suggestions.
    """
    if kind not in Kind.values:
        raise ValidationError(
            _("Unknown kind of recommendation: %(kind)s."), params={"kind": kind}, code="kind"
        )
    if not isinstance(object_id, int) or isinstance(object_id, bool) or not 1 <= object_id < 2**63:
        raise ValidationError(_("The id must be a positive whole number."), code="id")
    dismissal, _created = Dismissal.objects.get_or_create(
        person=person, kind=kind, object_id=object_id
    )
    forget_recommendations(person)
    return dismissal
