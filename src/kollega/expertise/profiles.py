"""Expertise profiles: who is worth looking at for a topic, without reading everyone's evidence.

On a popular topic tens of thousands of colleagues carry some evidence, and
reading all of it live, through the viewer's visibility rules, costs far too
long. A profile is what each person's evidence says about each term — a tag
("#wine") or a word form from a title — summed with the ranking's weights and
slow decay (`ranking.weight_of`, `ranking.TOPICAL_DECAY_DAYS`). For a topic,
the sum over its terms, weighted as `ranking.Topic.relevance` weighs them,
is the person's topical score on *all* their evidence: `shortlist` reads the
strongest few hundred from the index, and only their evidence is then read
live, as the viewer may see it, and ranked (`expertise.services`). So the
profile decides whom to look at, never what counts: a candidate whose only
evidence the viewer may not see is not shown, and no hidden piece is.

Staying current: every write that changes someone's evidence marks their
profile stale in the same transaction (`signals.py`), and a background task
(`tasks.refresh_stale_profiles`, enqueued when the write commits) recomputes
it. Until then a stale person is always on the short list, so their new
evidence counts at once. Writes that send no signal (a helpful count or an
accepted answer set with an UPDATE) and the slow ageing of undated tags are
caught by the periodic refresh, which recomputes the oldest profiles so that
none is older than `MAX_AGE` (a day). `kollega expertise_profiles` rebuilds
them all.
"""

import math
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from kollega.communities.models import Community, Membership
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis.models import Revision
from kollega.expertise import ranking
from kollega.expertise.evidence import ALL_SOURCES, SOURCES, activity, listed
from kollega.expertise.models import Profile, ProfileTerm
from kollega.expertise.ranking import Kind, weight_of
from kollega.expertise.text import stems
from kollega.people.models import Person, PersonTag
from kollega.posts.models import Post
from kollega.qa.models import Answer, Question

# Weights are scaled to this moment: exp((t − EPOCH) / decay) grows about e-fold a
# year, far from a float's limits for centuries, and rows written on different days
# compare as they are.
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
DECAY_SECONDS = ranking.TOPICAL_DECAY_DAYS * ranking.DAY
PER_TERM = 300  # the strongest people read per term of the topic
STALE_CAP = 200  # at most this many not-yet-refreshed people are added to a short list
MAX_AGE = timedelta(days=1)  # no profile is older than this once the periodic refresh runs
REFRESH_BATCH = 2000  # people per transaction (and per chunk of a rebuild)
TERM_CHARS = ProfileTerm._meta.get_field("term").max_length


def tag_term(name: str) -> str:
    """The profile term of a tag (word forms never start with '#')."""
    return f"#{name}"


def _scaled(at: datetime | None, now: datetime) -> float:
    if at is None:  # undated (tags on people): as old as the ranking treats them
        at = now - timedelta(days=ranking.UNDATED_AGE_DAYS)
    return math.exp((at - EPOCH).total_seconds() / DECAY_SECONDS)


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _tag_names(through, key: str, ids: Iterable[int]) -> dict[int, list[str]]:
    """Tag names of each object through an m2m table (`key` the object's column)."""
    names: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(sorted(set(ids))):
        for pk, name in through.objects.filter(**{f"{key}__in": chunk}).values_list(
            key, "tag__name"
        ):
            names[pk].append(name)
    return names


class _Terms:
    """Accumulates (person, term) → scaled weight."""

    def __init__(self, now: datetime):
        self.now = now
        self.weights: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.sources: dict[int, int] = defaultdict(int)  # bits of evidence.SOURCES
        self._stems: dict[str, frozenset[str]] = {}

    def words(self, title: str) -> frozenset[str]:
        if title not in self._stems:
            self._stems[title] = frozenset(stems(title))
        return self._stems[title]

    def add(
        self, source: str, person: int, weight: float, at, tags: Iterable[str] = (), title=""
    ) -> None:
        self.sources[person] |= 1 << SOURCES.index(source)
        # Relevance is linear in the topic's tags and words (see ranking.Evidence.relevance),
        # so each tag and word form of a piece carries its full weight.
        value = weight * _scaled(at, self.now)
        terms = self.weights[person]
        for name in tags:
            terms[tag_term(name)] += value
        for form in self.words(title) if title else ():
            if len(form) <= TERM_CHARS:
                terms[form] += value


def _collect(who: Callable[[str], Q], now: datetime) -> _Terms:
    """Every piece of evidence of the people `who` selects, whoever may see it, as terms.

    The same sources and weights as `evidence.Gatherer`, without the viewer.
    """
    terms = _Terms(now)
    for row in (
        PersonTag.objects.filter(who("person_id"))
        .values("person_id", "tag__name")
        .annotate(
            colleagues=Count("id", filter=~Q(added_by=F("person"))),
            own=Count("id", filter=Q(added_by=F("person"))),
        )
    ):
        tags = (row["tag__name"],)
        if row["colleagues"]:
            weight = weight_of(Kind.TAGGED_BY_COLLEAGUES, colleagues=row["colleagues"])
            terms.add("tags_on_people", row["person_id"], weight, None, tags)
        if row["own"]:
            terms.add("tags_on_people", row["person_id"], weight_of(Kind.OWN_TAG), None, tags)

    answers = list(
        Answer.objects.filter(who("author_id")).values_list(
            "id", "author_id", "created_at", "helpful_count", "question__title",
            "question__accepted_answer_id", "question__post_id",
        )
    )  # fmt: skip
    questions = list(
        Question.objects.filter(who("post__author_id")).values_list(
            "post__author_id", "asked_at", "title", "post_id"
        )
    )
    post_tags = _tag_names(
        Post.tags.through, "post_id", [a[6] for a in answers] + [q[3] for q in questions]
    )
    for answer_id, author, at, helpful, title, accepted_id, post_id in answers:
        kind = Kind.ACCEPTED_ANSWER if accepted_id == answer_id else Kind.ANSWER
        weight = weight_of(kind, helpful=helpful)
        terms.add("answers", author, weight, at, post_tags.get(post_id, ()), title)
    for author, at, title, post_id in questions:
        weight = weight_of(Kind.QUESTION)
        terms.add("questions", author, weight, at, post_tags.get(post_id, ()), title)

    post_weight = weight_of(Kind.POST)
    # From the authors' posts to their tags: the way the indexes lead for a few people.
    posts = list(
        Post.objects.filter(
            who("author_id"), question__isnull=True, blog_entry__isnull=True
        ).values_list("id", "author_id", "created_at")
    )
    tags_of = _tag_names(Post.tags.through, "post_id", [p[0] for p in posts])
    for post_id, author, at in posts:
        terms.add("posts", author, post_weight, at, tags_of.get(post_id, ()))

    memberships = list(
        Membership.objects.filter(who("person_id")).values_list(
            "person_id", "role", "joined_at", "community_id", "community__name"
        )
    )
    community_tags = _tag_names(Community.tags.through, "community_id", [m[3] for m in memberships])
    for person, role, at, community_id, name in memberships:
        kind = Kind.COMMUNITY_OWNER if role == Membership.Role.OWNER else Kind.COMMUNITY_MEMBER
        tags = community_tags.get(community_id, ())
        terms.add("communities", person, weight_of(kind), at, tags, name)

    entries = list(
        BlogEntry.objects.published()
        .filter(who("author_id"))
        .values_list("id", "author_id", "published_at", "title")
    )
    entry_tags = _tag_names(BlogEntry.tags.through, "blogentry_id", [e[0] for e in entries])
    for entry_id, author, at, title in entries:
        tags = entry_tags.get(entry_id, ())
        terms.add("blog_entries", author, weight_of(Kind.BLOG_ENTRY), at, tags, title)

    for row in (
        Revision.objects.filter(who("author_id"))
        .values("author_id", "page_id", "page__title")
        .annotate(last=Max("created_at"))
    ):
        weight, title = weight_of(Kind.WIKI_EDIT), row["page__title"]
        terms.add("wiki_edits", row["author_id"], weight, row["last"], (), title)

    bookmarks = list(
        Bookmark.objects.filter(who("person_id")).values_list(
            "id", "person_id", "created_at", "title"
        )
    )
    bookmark_tags = _tag_names(Bookmark.tags.through, "bookmark_id", [b[0] for b in bookmarks])
    for bookmark_id, person, at, title in bookmarks:
        tags = bookmark_tags.get(bookmark_id, ())
        terms.add("bookmarks", person, weight_of(Kind.BOOKMARK), at, tags, title)
    return terms


TERMS = ProfileTerm._meta.db_table
PROFILES = Profile._meta.db_table


def _write(cursor, weights: dict[int, dict[str, float]]) -> int:
    rows = [(p, t, w) for p, terms in weights.items() for t, w in terms.items() if w > 0]
    cursor.executemany(f"INSERT INTO {TERMS} (person_id, term, weight) VALUES (%s, %s, %s)", rows)
    return len(rows)


@transaction.atomic
def refresh(person_ids: Iterable[int]) -> int:
    """Recompute the profiles of `person_ids` (stale or not); returns how many terms were written.

    The stale marks are cleared first, in this transaction: a write that marks
    one of them again while this runs waits for it and stays marked.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    now = timezone.now()
    _lock(ids)
    Profile.objects.filter(person_id__in=ids).update(stale_since=None, refreshed_at=now)
    existing = list(Person.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    Profile.objects.bulk_create(
        [Profile(person_id=pk, refreshed_at=now) for pk in existing], ignore_conflicts=True
    )
    terms = _collect(lambda field: Q(**{f"{field}__in": ids}), now)
    active = activity(None, existing, now)
    Profile.objects.bulk_update(
        [
            Profile(person_id=pk, activity=active.get(pk, 0.0), sources=terms.sources[pk])
            for pk in existing
        ],
        ["activity", "sources"],
        batch_size=500,
    )
    ProfileTerm.objects.filter(person_id__in=ids).delete()
    with connection.cursor() as cursor:
        return _write(cursor, terms.weights)


def _lock(ids: list[int]) -> None:
    # PostgreSQL locks the rows an UPDATE … IN (…) touches in whatever order it scans them:
    # two posts at once (each marking, then refreshing, overlapping people) deadlocked.
    # Taking the rows' locks in person order first makes every writer queue the same way.
    list(
        Profile.objects.select_for_update()
        .filter(person_id__in=ids)
        .order_by("person_id")
        .values_list("pk", flat=True)
    )


def mark_stale(person_ids: Iterable[int], create: bool = True) -> None:
    """Note that the evidence of `person_ids` changed (in the caller's transaction).

    With `create` False only existing profiles are marked: after a delete,
    which only ever lowers what a profile says (so it stays a bound until
    refreshed), and which may be part of deleting the person.
    """
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return
    now = timezone.now()
    _lock(ids)
    # Every mark writes the row (keeping the first time, so the longest waiting go first):
    # a refresh running meanwhile then waits for this transaction instead of missing it.
    marked = Profile.objects.filter(person_id__in=ids).update(
        stale_since=Coalesce("stale_since", Value(now))
    )
    if create and marked < len(ids):
        # Someone with no profile yet: a row far in the past, which the refresh fills.
        Profile.objects.bulk_create(
            [Profile(person_id=pk, refreshed_at=EPOCH, stale_since=now) for pk in ids],
            ignore_conflicts=True,
        )


def refresh_stale(limit: int = REFRESH_BATCH, catch_up: bool = False) -> int:
    """Refresh up to `limit` stale profiles; with `catch_up`, then the oldest ones past
    `MAX_AGE` and people with none.

    Returns how many people were refreshed. Run after writes (stale ones only: with
    the immediate task backend this runs in the writer's request, which must not
    rebuild thousands of profiles) and periodically with `catch_up` (see `tasks`);
    each call is bounded, so a backlog drains over a few runs.
    """
    stale = list(
        Profile.objects.filter(stale_since__isnull=False)
        .order_by("stale_since")
        .values_list("person_id", flat=True)[:limit]
    )
    refresh(stale)
    done = len(stale)
    room = limit - done if catch_up else 0
    if room > 0:
        old = list(
            Profile.objects.filter(refreshed_at__lt=timezone.now() - MAX_AGE)
            .order_by("refreshed_at")
            .values_list("person_id", flat=True)[:room]
        )
        refresh(old)
        done += len(old)
        room -= len(old)
    if room > 0:
        # People with no profile at all (just after the upgrade, before a rebuild).
        missing = list(
            Person.objects.filter(~Exists(Profile.objects.filter(person_id=OuterRef("pk"))))
            .order_by("pk")
            .values_list("pk", flat=True)[:room]
        )
        refresh(missing)
        done += len(missing)
    return done


@transaction.atomic
def rebuild(progress: Callable[[int], object] | None = None) -> dict[str, int]:
    """Every person's profile from scratch, in one transaction; returns people and terms.

    `progress(total)` may return a tqdm-like bar (with update()). Works in
    chunks of consecutive person ids so that memory stays bounded.
    """
    now = timezone.now()
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    bar = progress(len(ids)) if progress else None
    terms = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TERMS}")
        cursor.execute(f"DELETE FROM {PROFILES}")
        for chunk in _chunks(ids, REFRESH_BATCH):
            first, last = chunk[0], chunk[-1]
            found = _collect(
                lambda field, a=first, b=last: Q(**{f"{field}__gte": a, f"{field}__lte": b}), now
            )
            terms += _write(cursor, found.weights)
            active = activity(None, chunk, now)
            Profile.objects.bulk_create(
                [
                    Profile(
                        person_id=pk,
                        refreshed_at=now,
                        activity=active.get(pk, 0.0),
                        sources=found.sources[pk],
                    )
                    for pk in chunk
                ]
            )
            if bar is not None:
                bar.update(len(chunk))
        # Fresh statistics, so the planner reads a term's strongest people from the index.
        cursor.execute(f"ANALYZE {TERMS}")
    if bar is not None:
        bar.close()
    return {"people": len(ids), "terms": terms}


def rebuild_demo(state) -> None:
    """The demo builder's step: it writes with bulk_create, which sends no signals."""
    state.counts["expertise profile terms"] = rebuild()["terms"]


def tqdm_progress(total: int, file=None):
    """A progress bar over people (on standard error unless `file`)."""
    from tqdm import tqdm

    return tqdm(total=total, desc="Profiles", unit="person", file=file or sys.stderr)


@dataclass
class Candidate:
    """Someone worth looking at, with what no viewer can see them exceed."""

    person: int
    topical: float  # the ranking's topical sum over all their evidence, now
    activity: float  # `evidence.activity` over all their answers and posts, at most
    stale: bool  # written since the profile was computed: the two above may be low
    sources: int = ALL_SOURCES  # bits of evidence.SOURCES they have anything in


def shortlist(
    topic: ranking.Topic, limit: int, now: datetime, people=None
) -> list[Candidate] | None:
    """Up to `limit` people strongest on `topic` by their profiles, plus the stale ones.

    Reads the `PER_TERM` strongest people of each of the topic's terms from the
    index; `people` (a Person queryset, e.g. a department) narrows the search.
    Strongest first. None when no profile has been built yet, so the caller
    reads evidence live.
    """
    weights = {tag_term(t): 1 / len(topic.tags) for t in topic.tags}
    for form, share in topic.words.items():
        if len(form) <= TERM_CHARS:
            weights[form] = weights.get(form, 0.0) + ranking.TEXT_SHARE * share
    if not ProfileTerm.objects.exists():
        return None
    # From the fixed moment to now; a day's slack for undated tags refreshed up to MAX_AGE ago.
    scale = math.exp(-((now - EPOCH) - MAX_AGE).total_seconds() / DECAY_SECONDS)
    scores: dict[int, float] = defaultdict(float)
    for term, share in weights.items():
        rows = ProfileTerm.objects.filter(term=term)
        if people is not None:
            rows = rows.filter(person__in=people.values("pk"))
        for person, weight in rows.order_by("-weight").values_list("person_id", "weight")[
            :PER_TERM
        ]:
            scores[person] += share * weight * scale
    chosen = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    stale = Profile.objects.filter(stale_since__isnull=False)
    if people is not None:
        stale = stale.filter(person__in=people.values("pk"))
    # Oldest first, as the refresh takes them; the order also lets SQLite read the few
    # stale rows from their index (for IS NOT NULL alone it scanned all profiles).
    stale = stale.order_by("stale_since").values_list("person_id", flat=True)[:STALE_CAP]
    wanted = set(chosen) | set(stale)
    rows = Profile.objects.filter(person_id__in=listed(wanted)).values_list(
        "person_id", "activity", "stale_since", "sources"
    )
    found = {
        pk: (active, since is not None, ALL_SOURCES if since is not None else sources)
        for pk, active, since, sources in rows
    }
    candidates = [
        Candidate(pk, scores.get(pk, 0.0), *found.get(pk, (0.0, True, ALL_SOURCES)))
        for pk in wanted
    ]
    candidates.sort(key=lambda c: (-c.topical, c.person))
    return candidates
