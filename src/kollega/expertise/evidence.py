"""The evidence people left, read from the database as one viewer may see it.

Every read goes through the visibility rules in `kollega.permissions`, so a
post in a restricted community or on a board the viewer may not read never
counts towards what the viewer is shown. Each source is capped at the newest
`PER_SOURCE` rows: recent evidence weighs more anyway (see `ranking`), and the
cap keeps a ranking fast on a large organisation.

Sources: tags on people (by colleagues and their own), answers (accepted ones
and helpful votes count more), questions asked, posts written, communities
owned or joined, blog entries written, wiki pages edited and links saved.
"""

import re
from collections import defaultdict
from datetime import datetime, timedelta
from functools import lru_cache

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from kollega.communities.models import Community, Membership
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis.models import Page, Revision
from kollega.expertise import ranking
from kollega.expertise.ranking import Evidence, Kind, weight_of
from kollega.expertise.text import stems, stems_of_word
from kollega.people.models import PersonTag
from kollega.permissions.bookmarks import visible_bookmarks_filter
from kollega.permissions.communities import (
    readable_communities_filter,
    visible_memberships_filter,
)
from kollega.permissions.compiled import compiled_rule
from kollega.permissions.posts import visible_filter
from kollega.permissions.wikis import readable_pages_filter
from kollega.posts.models import Post
from kollega.qa.models import Answer, Question
from kollega.tags.models import Tag

# The evidence sources, in the order they are read; profiles note which ones a person has.
SOURCES = (
    "tags_on_people", "answers", "questions", "posts",
    "communities", "blog_entries", "wiki_edits", "bookmarks",
)  # fmt: skip
ALL_SOURCES = (1 << len(SOURCES)) - 1
POSTS = Post._meta.db_table
QUESTIONS = Question._meta.db_table
ANSWERS = Answer._meta.db_table
POST_TAGS = Post.tags.through._meta.db_table
PER_SOURCE = 500
RESTRICTED_CAP = 2000  # rows per source when only a short list of people is read
TITLE_WORDS = 5  # at most this many query words are looked for in titles
ACTIVITY_BUCKETS = ((0, 7), (7, 30), (30, 90), (90, 365))  # days ago


@lru_cache(maxsize=50_000)
def _tag_stems(name: str) -> frozenset[str]:
    return frozenset(s for part in re.split(r"[-._]", name) if part for s in stems_of_word(part))


def matching_tags(text: str) -> dict[int, str]:
    """Tags the text is about: every part of the tag's name is a word of the text.

    "red wine storage" matches *wine*, *storage* and *red-wine*, not *wine-tasting*.
    """
    found = set(stems(text))
    if not found:
        return {}
    return {
        pk: name
        for pk, name in Tag.objects.values_list("pk", "name")
        if _tag_stems(name) and _tag_stems(name) <= found
    }


def topic_for(text: str, tag_names: set[str] | None = None) -> ranking.Topic:
    """The topic of a free-text query (plus tags already known, e.g. a question's)."""
    names = set(matching_tags(text).values()) | set(tag_names or ())
    return ranking.Topic.from_text(text, names)


def visible_posts(viewer, prefix: str = ""):
    """`permissions.posts.visible_filter`, its SQL compiled once per process (see
    `permissions.compiled`): a ranking applies it to four queries per batch of
    candidates, and building it cost more than running them."""
    return compiled_rule(visible_filter, Post, viewer, prefix, anchor="audience")


def listed(ids):
    """`ids` for an `__in` lookup, written into the SQL as they are.

    The ORM prepares an id list value by value: for the 2,000 question ids of a
    short list that took 12 ms, running the query a fraction of it. The SQL is
    the same (`IN (%s, …)`); duplicates and None are left out, as the ORM does.
    """
    ids = list(dict.fromkeys(pk for pk in ids if pk is not None))
    if not ids:
        return []  # the ORM's own "nothing matches"
    return RawSQL(", ".join(["%s"] * len(ids)), ids)


def _words(text: str) -> tuple[str, ...]:
    """The word forms of `text`, once each, for `Evidence.words` (see there why a tuple)."""
    return tuple(set(stems(text)))


def _words_filter(field: str, text: str) -> Q:
    words = [w for w in re.findall(r"[^\W_]{3,}", text.lower())][:TITLE_WORDS]
    query = Q()
    for word in words:
        query |= Q(**{f"{field}__icontains": word})
    return query


# --- what a piece of evidence says, made only for the evidence shown ---------------------


def _tagged_by(tag: str, n: int) -> tuple[str, str]:
    text = ngettext("tagged %(tag)s by %(n)d colleague", "tagged %(tag)s by %(n)d colleagues", n)
    return text % {"tag": tag, "n": n}, reverse("tag", args=[tag])


def _own_tag(tag: str) -> tuple[str, str]:
    return gettext("says they know %(tag)s") % {"tag": tag}, reverse("tag", args=[tag])


def _answered(accepted: bool, title: str, question_id: int, answer_id: int) -> tuple[str, str]:
    text = (
        gettext("accepted answer to “%(title)s”") if accepted else gettext("answered “%(title)s”")
    )
    return text % {"title": title}, reverse("question", args=[question_id]) + f"#answer-{answer_id}"


def _asked(title: str, question_id: int) -> tuple[str, str]:
    return gettext("asked “%(title)s”") % {"title": title}, reverse("question", args=[question_id])


def _wrote(tags: tuple[str, ...], post_id: int) -> tuple[str, str]:
    shown = ", ".join(f"#{t}" for t in tags)
    return gettext("wrote about %(tags)s") % {"tags": shown}, reverse("post", args=[post_id])


def _in_community(owner: bool, community: Community) -> tuple[str, str]:
    text = (
        gettext("runs the community %(name)s")
        if owner
        else gettext("member of the community %(name)s")
    )
    return text % {"name": community.name}, community.get_absolute_url()


def _blogged(title: str, entry_id: int) -> tuple[str, str]:
    return gettext("wrote “%(title)s”") % {"title": title}, reverse("blog_entry", args=[entry_id])


def _edited(page: Page) -> tuple[str, str]:
    return gettext("edited the wiki page “%(title)s”") % {
        "title": page.title
    }, page.get_absolute_url()


def _saved(title: str, url: str) -> tuple[str, str]:
    return gettext("saved the link “%(title)s”") % {"title": title}, url


class Gatherer:
    """Collects evidence about a topic, as `viewer` may see it, into `by_person`.

    With `people` (a short list of ids, see `expertise.profiles.shortlist`)
    only their evidence is read: each source starts from their rows, so the
    cost follows the short list, not how popular the topic is, and the caps
    are wider (`RESTRICTED_CAP`) since they no longer choose among everyone.
    """

    def __init__(self, viewer, topic: ranking.Topic, text: str, now: datetime, people=None) -> None:
        self.viewer, self.topic, self.text, self.now = viewer, topic, text, now
        self.people = None if people is None else list(people)
        self._short = set(self.people or ())
        self.cap = PER_SOURCE if people is None else RESTRICTED_CAP
        self.tag_names = dict(Tag.objects.filter(name__in=topic.tags).values_list("pk", "name"))
        self.tag_ids = list(self.tag_names)
        self.by_person: dict[int, list[Evidence]] = defaultdict(list)

    def who(self, field: str) -> Q:
        """Rows of the short-listed people only (all rows without a short list)."""
        return Q() if self.people is None else Q(**{f"{field}__in": self.people})

    def add(self, person_id: int, item: Evidence) -> None:
        self.by_person[person_id].append(item)

    def about_topic(self, tags_field: str, title_field: str | None) -> Q:
        query = Q(**{f"{tags_field}__in": self.tag_ids}) if self.tag_ids else Q(pk__in=[])
        if title_field:
            words = _words_filter(title_field, self.text)
            if words:
                query |= words
        return query

    def tags_on_people(self) -> None:
        if not self.tag_ids:
            return
        rows = (
            PersonTag.objects.filter(self.who("person_id"), tag_id__in=self.tag_ids)
            .values("person_id", "tag__name")
            .annotate(
                colleagues=Count("id", filter=~Q(added_by=F("person"))),
                own=Count("id", filter=Q(added_by=F("person"))),
            )
            # On a popular tag, the most tagged people are the evidence that can rank.
            .order_by("-colleagues", "-own", "person_id")[: self.cap * 2]
        )
        for row in rows:
            tags, name, n = (row["tag__name"],), row["tag__name"], row["colleagues"]
            if n:
                kind = Kind.TAGGED_BY_COLLEAGUES
                self.add(
                    row["person_id"],
                    Evidence(
                        kind, None, weight_of(kind, colleagues=n), tags,
                        describe=_tagged_by, about=(name, n),
                    ),
                )  # fmt: skip
            if row["own"]:
                self.add(
                    row["person_id"],
                    Evidence(
                        Kind.OWN_TAG, None, weight_of(Kind.OWN_TAG), tags,
                        describe=_own_tag, about=(name,),
                    ),
                )  # fmt: skip

    def _topic_tags(self, model, ids: list[int]) -> dict[int, tuple[str, ...]]:
        """The topic's tags each of `model`'s objects with these ids carries (absent: none).

        Only those: relevance and the sentences read nothing else, and a word-only
        query then reads no tag links at all (on 500-odd questions SQLite once
        joined every tag to every question, 64 ms).
        """
        if not self.tag_ids or not ids:
            return {}
        through = model.tags.through
        owner = through._meta.get_field(model._meta.model_name).attname
        links = through.objects.filter(**{f"{owner}__in": listed(ids), "tag_id__in": self.tag_ids})
        names = defaultdict(set)
        for pk, tag in links.values_list(owner, "tag_id"):
            names[pk].add(self.tag_names[tag])
        return {pk: tuple(v) for pk, v in names.items()}

    def _tags_of_posts(self, post_ids: list[int]) -> dict[int, tuple[str, ...]]:
        return self._topic_tags(Post, post_ids)

    def _newest_tagged(self) -> list[int]:
        """Ids of the newest posts carrying a topic tag (ids grow with time), read once."""
        if not self.tag_ids:
            return []
        if not hasattr(self, "_tagged_post_ids"):
            self._tagged_post_ids = list(
                Post.tags.through.objects.filter(tag_id__in=self.tag_ids)
                .order_by("-post_id")
                .values_list("post_id", flat=True)[: PER_SOURCE * 2]
            )
        return self._tagged_post_ids

    def _their_tagged_posts(self):
        """The short-listed people's posts carrying a topic tag, as a subquery of ids.

        From their posts to the tags: SQLite's planner would start from the
        tag, tens of thousands of rows on a popular one; CROSS JOIN makes it
        keep this order (PostgreSQL chooses by its statistics).
        """
        if not self.tag_ids or not self.people:
            return []
        people = ", ".join(["%s"] * len(self.people))
        tags = ", ".join(["%s"] * len(self.tag_ids))
        return RawSQL(
            f"SELECT p.id FROM {POSTS} p CROSS JOIN {POST_TAGS} t "
            f"WHERE t.post_id = p.id AND p.author_id IN ({people}) AND t.tag_id IN ({tags})",
            [*self.people, *self.tag_ids],
        )

    def _questions(self) -> list[dict]:
        """The newest visible questions on the topic (by tag or title word), read once.

        Candidates are found first without the visibility rule (newest tagged
        posts, titles containing a query word), then the rule is applied to
        that bounded set: much cheaper than filtering every visible question.
        """
        if not hasattr(self, "_question_rows"):
            words = _words_filter("title", self.text)
            if self.people is None:
                about = Q(post_id__in=listed(self._newest_tagged()))
                candidates = Question.objects.filter(about | words if words else about)
                ids = list(
                    candidates.order_by("-asked_at").values_list("pk", flat=True)[: self.cap * 2]
                )
                bounded = Question.objects.filter(pk__in=listed(ids))
            else:
                # The questions the short-listed people asked or answered (a bounded set,
                # so the topic and the visibility rule are applied to it in one query).
                marks = ", ".join(["%s"] * max(len(self.people), 1))
                # A subquery in plain SQL: no id list through the ORM, and CROSS JOIN
                # keeps SQLite starting from their rows.
                mine = RawSQL(
                    f"SELECT a.question_id FROM {ANSWERS} a WHERE a.author_id IN ({marks}) "
                    f"UNION SELECT q.id FROM {POSTS} p CROSS JOIN {QUESTIONS} q "
                    f"WHERE q.post_id = p.id AND p.author_id IN ({marks})",
                    [*self.people, *self.people] if self.people else [None, None],
                )
                tagged = Post.tags.through.objects.filter(
                    post_id=OuterRef("post_id"), tag_id__in=self.tag_ids
                )
                about = Exists(tagged) if self.tag_ids else Q(pk__in=[])
                bounded = Question.objects.filter(
                    Q(pk__in=mine) & (about | words if words else about)
                )
            self._question_rows = list(
                bounded.filter(visible_posts(self.viewer, prefix="post__"))
                .order_by("-asked_at")
                .values(
                    "id", "post__author_id", "asked_at", "title", "post_id", "accepted_answer_id"
                )[: self.cap]
            )
            self._question_tags = self._tags_of_posts([r["post_id"] for r in self._question_rows])
            # Apart from the rows: a row holding a new tuple would be tracked by the garbage
            # collector until its next full collection, and there are up to 2,000 rows.
            self._question_words: dict[int, tuple[str, ...]] = {}
        return self._question_rows

    def _title_words(self, question: dict) -> tuple[str, ...]:
        words = self._question_words.get(question["id"])
        if words is None:
            words = self._question_words[question["id"]] = _words(question["title"])
        return words

    def answers(self) -> None:
        questions = {r["id"]: r for r in self._questions()}
        rows = Answer.objects.filter(self.who("author_id"), question_id__in=listed(questions))
        rows = rows.values_list("id", "author_id", "created_at", "helpful_count", "question_id")
        for answer_id, author_id, created_at, helpful, question_id in rows:
            question = questions[question_id]
            accepted = question["accepted_answer_id"] == answer_id
            kind = Kind.ACCEPTED_ANSWER if accepted else Kind.ANSWER
            self.add(
                author_id,
                Evidence(
                    kind, created_at, weight_of(kind, helpful=helpful),
                    self._question_tags.get(question["post_id"], ()),
                    self._title_words(question),
                    describe=_answered, about=(accepted, question["title"], question_id, answer_id),
                ),
            )  # fmt: skip

    def questions(self) -> None:
        for r in self._questions():
            if self.people is not None and r["post__author_id"] not in self._short:
                continue  # a question one of them answered, asked by someone else
            self.add(
                r["post__author_id"],
                Evidence(
                    Kind.QUESTION, r["asked_at"], weight_of(Kind.QUESTION),
                    self._question_tags.get(r["post_id"], ()), self._title_words(r),
                    describe=_asked, about=(r["title"], r["id"]),
                ),
            )  # fmt: skip

    def posts(self) -> None:
        if not self.tag_ids:
            return
        if self.people is None:
            # The visibility rule on the newest tagged posts only (see `_questions`).
            about = Q(pk__in=listed(self._newest_tagged()))
        else:
            about = Q(pk__in=self._their_tagged_posts())
        rows = list(
            Post.objects.filter(about, question__isnull=True, blog_entry__isnull=True)
            .filter(visible_posts(self.viewer))
            .order_by("-created_at")
            .values("id", "author_id", "created_at")[: self.cap]
        )
        tags = self._tags_of_posts([r["id"] for r in rows])
        for r in rows:
            post_tags = tags.get(r["id"], ())
            self.add(
                r["author_id"],
                Evidence(
                    Kind.POST, r["created_at"], weight_of(Kind.POST), post_tags,
                    describe=_wrote,
                    about=(tuple(sorted(self.topic.tags.intersection(post_tags))), r["id"]),
                ),
            )  # fmt: skip

    def communities(self) -> None:
        # Who is in a community is evidence only to those who may see its members: an
        # invitee to a restricted community sees its card, never its members.
        communities = Community.objects.filter(readable_communities_filter(self.viewer)).filter(
            self.about_topic("tags", "name")
        )
        names = {}
        for c in communities.prefetch_related("tags")[:PER_SOURCE]:
            names[c.pk] = (c, tuple({t.name for t in c.tags.all()}), _words(c.name))
        rows = Membership.objects.filter(self.who("person_id"), community_id__in=names).filter(
            visible_memberships_filter(self.viewer)
        )
        rows = rows.values_list("community_id", "person_id", "role", "joined_at")
        for community_id, person_id, role, joined_at in rows[: self.cap * 5]:
            community, tags, words = names[community_id]
            owner = role == Membership.Role.OWNER
            kind = Kind.COMMUNITY_OWNER if owner else Kind.COMMUNITY_MEMBER
            self.add(
                person_id,
                Evidence(
                    kind, joined_at, weight_of(kind), tags, words,
                    describe=_in_community, about=(owner, community),
                ),
            )  # fmt: skip

    def blog_entries(self) -> None:
        about = self.about_topic("tags", "title")
        candidates = BlogEntry.objects.published().filter(self.who("author_id"), about)
        ids = list(
            candidates.order_by("-published_at").values_list("pk", flat=True)[: self.cap * 2]
        )
        rows = list(
            BlogEntry.objects.filter(pk__in=ids)
            .visible_to(self.viewer)
            .order_by("-published_at")
            .values("id", "author_id", "published_at", "title")[: self.cap]
        )
        tags = self._topic_tags(BlogEntry, [r["id"] for r in rows])
        for r in rows:
            self.add(
                r["author_id"],
                Evidence(
                    Kind.BLOG_ENTRY, r["published_at"], weight_of(Kind.BLOG_ENTRY),
                    tags.get(r["id"], ()), _words(r["title"]),
                    describe=_blogged, about=(r["title"], r["id"]),
                ),
            )  # fmt: skip

    def wiki_edits(self) -> None:
        words = _words_filter("page__title", self.text)
        if not words:
            return
        rows = (
            Revision.objects.filter(self.who("author_id"), words)
            .filter(readable_pages_filter(self.viewer, prefix="page__"))
            .values("author_id", "page_id", "page__title")
            .annotate(last=Max("created_at"))
            .order_by("-last")[: self.cap]
        )
        pages = Page.objects.in_bulk({r["page_id"] for r in rows})
        for r in rows:
            self.add(
                r["author_id"],
                Evidence(
                    Kind.WIKI_EDIT, r["last"], weight_of(Kind.WIKI_EDIT),
                    words=_words(r["page__title"]),
                    describe=_edited, about=(pages[r["page_id"]],),
                ),
            )  # fmt: skip

    def bookmarks(self) -> None:
        about = self.about_topic("tags", "title")
        rows = list(
            Bookmark.objects.filter(self.who("person_id"), about)
            .filter(visible_bookmarks_filter(self.viewer))
            .order_by("-created_at")
            .values("id", "person_id", "created_at", "title", "url")
            .distinct()[: self.cap]
        )
        tags = self._topic_tags(Bookmark, [r["id"] for r in rows])
        for r in rows:
            self.add(
                r["person_id"],
                Evidence(
                    Kind.BOOKMARK, r["created_at"], weight_of(Kind.BOOKMARK),
                    tags.get(r["id"], ()), _words(r["title"]),
                    describe=_saved, about=(r["title"], r["url"]),
                ),
            )  # fmt: skip

    def gather(self, sources: int = ALL_SOURCES) -> dict[int, list[Evidence]]:
        """All sources (or those whose bits are in `sources`), for everyone with evidence."""
        for bit, name in enumerate(SOURCES):
            if sources & (1 << bit):
                getattr(self, name)()
        return self.by_person


def activity(viewer, people: list[int], now: datetime) -> dict[int, float]:
    """Recent activity of `people` (answers and posts of the last year the viewer may see).

    Counted in age buckets, each bucket weighted as if at its middle: the
    ranking's decay, read from a few counts instead of every row. A piece only
    ever moves to an older bucket, so the value never grows unless something
    is added. With `viewer` None every answer and post counts (the profiles'
    bound, see `expertise.profiles`).
    """
    if not people:
        return {}
    # Each row's bucket as one CASE, counted per (person, bucket): three aggregates
    # instead of three per bucket, which cost more to build than to run.
    bucket = Case(
        *(
            When(created_at__gt=now - timedelta(days=end), then=Value(i))
            for i, (_start, end) in enumerate(ACTIVITY_BUCKETS)
        ),
        output_field=IntegerField(),
    )
    middles = [(start + end) / 2 for start, end in ACTIVITY_BUCKETS]
    year = now - timedelta(days=ACTIVITY_BUCKETS[-1][1])
    answers = (
        # Nothing from the future counts (a clock set back): the newest bucket ends now.
        Answer.objects.filter(author_id__in=people, created_at__gt=year, created_at__lte=now)
        .filter(Q() if viewer is None else visible_posts(viewer, prefix="question__post__"))
        .annotate(bucket=bucket)
        .values("author_id", "bucket")
        .annotate(
            n=Count("id"),
            accepted=Count("id", filter=Q(question__accepted_answer=F("id"))),
            helpful=Sum(Least("helpful_count", ranking.HELPFUL_CAP)),
        )
    )
    answer, accepted_answer = (
        ranking.BASE_WEIGHT[Kind.ANSWER],
        ranking.BASE_WEIGHT[Kind.ACCEPTED_ANSWER],
    )
    answered: dict[int, dict[int, float]] = defaultdict(dict)
    for row in answers:
        answered[row["author_id"]][row["bucket"]] = (
            answer * (row["n"] - row["accepted"])
            + accepted_answer * row["accepted"]
            + ranking.HELPFUL_VOTE * (row["helpful"] or 0)
        )
    posts = (
        # From the (author, created_at, visibility columns) index alone.
        Post.objects.filter(author_id__in=people, created_at__gt=year, created_at__lte=now)
        .filter(Q() if viewer is None else visible_posts(viewer))
        .annotate(bucket=bucket)
        .values("author_id", "bucket")
        .annotate(n=Count("id"))
    )
    posted: dict[int, dict[int, float]] = defaultdict(dict)
    for row in posts:
        posted[row["author_id"]][row["bucket"]] = ranking.BASE_WEIGHT[Kind.POST] * row["n"]
    # Answers newest bucket first, then posts: the order the pieces are summed in.
    pieces: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for weights in (answered, posted):
        for person, by_bucket in weights.items():
            for i, middle in enumerate(middles):
                if by_bucket.get(i):
                    pieces[person].append((middle, by_bucket[i]))
    return {person: ranking.activity_of(p) for person, p in pieces.items()}
