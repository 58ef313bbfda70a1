"""The evidence people left, read from the database as one viewer may see it.

Every read goes through the visibility rules in `kollega.permissions`, so a
post in a restricted community or on a board the viewer may not read never
counts towards what the viewer is shown. Each source is capped at the newest
`PER_SOURCE` rows: recent evidence weighs more anyway (see `ranking`), and the
cap keeps a ranking fast on a large organisation.

Sources: tags on people (by colleagues and their own), answers (accepted ones
and helpful votes count more), questions asked, posts written, communities
owned or joined. Blogs, wikis and bookmarks join here as they land.
"""

import re
from collections import defaultdict
from datetime import datetime, timedelta
from functools import lru_cache

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Least
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from kollega.communities.models import Community, Membership
from kollega.expertise import ranking
from kollega.expertise.ranking import Evidence, Kind, weight_of
from kollega.expertise.text import stems, stems_of_word
from kollega.people.models import PersonTag
from kollega.permissions.communities import visible_communities_filter
from kollega.permissions.posts import visible_filter
from kollega.posts.models import Post
from kollega.qa.models import Answer, Question
from kollega.tags.models import Tag

PER_SOURCE = 2_000
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


def _words_filter(field: str, text: str) -> Q:
    words = [w for w in re.findall(r"[^\W_]{3,}", text.lower())][:TITLE_WORDS]
    query = Q()
    for word in words:
        query |= Q(**{f"{field}__icontains": word})
    return query


class Gatherer:
    """Collects evidence about a topic, as `viewer` may see it, into `by_person`."""

    def __init__(self, viewer, topic: ranking.Topic, text: str, now: datetime):
        self.viewer, self.topic, self.text, self.now = viewer, topic, text, now
        self.tag_ids = list(Tag.objects.filter(name__in=topic.tags).values_list("pk", flat=True))
        self.by_person: dict[int, list[Evidence]] = defaultdict(list)

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
            PersonTag.objects.filter(tag_id__in=self.tag_ids)
            .values("person_id", "tag__name")
            .annotate(
                colleagues=Count("id", filter=~Q(added_by=F("person"))),
                own=Count("id", filter=Q(added_by=F("person"))),
            )
        )
        for row in rows:
            tags, name, n = frozenset([row["tag__name"]]), row["tag__name"], row["colleagues"]
            if n:
                label = ngettext(
                    "tagged %(tag)s by %(n)d colleague", "tagged %(tag)s by %(n)d colleagues", n
                ) % {"tag": name, "n": n}
                kind = Kind.TAGGED_BY_COLLEAGUES
                self.add(
                    row["person_id"],
                    Evidence(kind, None, weight_of(kind, colleagues=n), tags, label=label),
                )
            if row["own"]:
                label = gettext("says they know %(tag)s") % {"tag": name}
                self.add(
                    row["person_id"],
                    Evidence(Kind.OWN_TAG, None, weight_of(Kind.OWN_TAG), tags, label=label),
                )

    def _tags_of_posts(self, post_ids: list[int]) -> dict[int, frozenset[str]]:
        names = defaultdict(set)
        through = Post.tags.through.objects.filter(post_id__in=post_ids)
        for post_id, name in through.values_list("post_id", "tag__name"):
            names[post_id].add(name)
        return {pk: frozenset(v) for pk, v in names.items()}

    def answers(self) -> None:
        questions = Question.objects.visible_to(self.viewer).filter(
            self.about_topic("post__tags", "title")
        )
        rows = list(
            Answer.objects.filter(question__in=questions.values("pk"))
            .order_by("-created_at")
            .values(
                "id", "author_id", "created_at", "helpful_count", "question_id",
                "question__title", "question__post_id", "question__accepted_answer_id",
            )[:PER_SOURCE]
        )  # fmt: skip
        tags = self._tags_of_posts([r["question__post_id"] for r in rows])
        for r in rows:
            accepted = r["question__accepted_answer_id"] == r["id"]
            kind = Kind.ACCEPTED_ANSWER if accepted else Kind.ANSWER
            title = r["question__title"]
            label = (
                gettext("accepted answer to “%(title)s”")
                if accepted
                else gettext("answered “%(title)s”")
            ) % {"title": title}
            self.add(
                r["author_id"],
                Evidence(
                    kind, r["created_at"], weight_of(kind, helpful=r["helpful_count"]),
                    tags.get(r["question__post_id"], frozenset()), frozenset(stems(title)),
                    label, reverse("question", args=[r["question_id"]]) + f"#answer-{r['id']}",
                ),
            )  # fmt: skip

    def questions(self) -> None:
        rows = list(
            Question.objects.visible_to(self.viewer)
            .filter(self.about_topic("post__tags", "title"))
            .order_by("-asked_at")
            .values("id", "post__author_id", "asked_at", "title", "post_id")[:PER_SOURCE]
        )
        tags = self._tags_of_posts([r["post_id"] for r in rows])
        for r in rows:
            self.add(
                r["post__author_id"],
                Evidence(
                    Kind.QUESTION, r["asked_at"], weight_of(Kind.QUESTION),
                    tags.get(r["post_id"], frozenset()), frozenset(stems(r["title"])),
                    gettext("asked “%(title)s”") % {"title": r["title"]},
                    reverse("question", args=[r["id"]]),
                ),
            )  # fmt: skip

    def posts(self) -> None:
        if not self.tag_ids:
            return
        rows = list(
            Post.objects.filter(visible_filter(self.viewer))
            .filter(tags__in=self.tag_ids, question__isnull=True)
            .order_by("-created_at")
            .values("id", "author_id", "created_at")
            .distinct()[:PER_SOURCE]
        )
        tags = self._tags_of_posts([r["id"] for r in rows])
        for r in rows:
            post_tags = tags.get(r["id"], frozenset())
            shown = ", ".join(f"#{t}" for t in sorted(post_tags & self.topic.tags))
            self.add(
                r["author_id"],
                Evidence(
                    Kind.POST, r["created_at"], weight_of(Kind.POST), post_tags,
                    label=gettext("wrote about %(tags)s") % {"tags": shown},
                    url=reverse("post", args=[r["id"]]),
                ),
            )  # fmt: skip

    def communities(self) -> None:
        communities = Community.objects.filter(visible_communities_filter(self.viewer)).filter(
            self.about_topic("tags", "name")
        )
        names = {}
        for c in communities.prefetch_related("tags")[:PER_SOURCE]:
            names[c.pk] = (c, frozenset(t.name for t in c.tags.all()))
        rows = Membership.objects.filter(community_id__in=names).values_list(
            "community_id", "person_id", "role", "joined_at"
        )
        for community_id, person_id, role, joined_at in rows[: PER_SOURCE * 5]:
            community, tags = names[community_id]
            owner = role == Membership.Role.OWNER
            kind = Kind.COMMUNITY_OWNER if owner else Kind.COMMUNITY_MEMBER
            label = (
                gettext("runs the community %(name)s")
                if owner
                else gettext("member of the community %(name)s")
            ) % {"name": community.name}
            self.add(
                person_id,
                Evidence(
                    kind, joined_at, weight_of(kind), tags, frozenset(stems(community.name)),
                    label, community.get_absolute_url(),
                ),
            )  # fmt: skip

    def gather(self) -> dict[int, list[Evidence]]:
        """All sources, for everyone with evidence on the topic."""
        self.tags_on_people()
        self.answers()
        self.questions()
        self.posts()
        self.communities()
        return self.by_person


def activity(viewer, people: list[int], now: datetime) -> dict[int, float]:
    """Recent activity of `people` (answers and posts of the last year the viewer may see).

    Counted in age buckets, each bucket weighted as if at its middle: the
    ranking's decay, read from a few counts instead of every row.
    """
    if not people:
        return {}
    pieces: dict[int, list[tuple[float, float]]] = defaultdict(list)
    answer_weight = {
        Kind.ANSWER: ranking.BASE_WEIGHT[Kind.ANSWER],
        Kind.ACCEPTED_ANSWER: ranking.BASE_WEIGHT[Kind.ACCEPTED_ANSWER],
    }
    for start, end in ACTIVITY_BUCKETS:
        middle = (start + end) / 2
        since, until = now - timedelta(days=end), now - timedelta(days=start)
        answers = (
            Answer.objects.filter(author_id__in=people, created_at__gt=since, created_at__lte=until)
            .filter(visible_filter(viewer, prefix="question__post__"))
            .values("author_id")
            .annotate(
                n=Count("id"),
                accepted=Count("id", filter=Q(question__accepted_answer=F("id"))),
                helpful=Sum(Least("helpful_count", ranking.HELPFUL_CAP)),
            )
        )
        for row in answers:
            weight = (
                answer_weight[Kind.ANSWER] * (row["n"] - row["accepted"])
                + answer_weight[Kind.ACCEPTED_ANSWER] * row["accepted"]
                + ranking.HELPFUL_VOTE * (row["helpful"] or 0)
            )
            pieces[row["author_id"]].append((middle, weight))
        posts = (
            Post.objects.filter(author_id__in=people, created_at__gt=since, created_at__lte=until)
            .filter(visible_filter(viewer))
            .values("author_id")
            .annotate(n=Count("id"))
        )
        for row in posts:
            pieces[row["author_id"]].append((middle, ranking.BASE_WEIGHT[Kind.POST] * row["n"]))
    return {person: ranking.activity_of(p) for person, p in pieces.items()}
