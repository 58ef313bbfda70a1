"""The expertise ranking: how strongly the evidence people left says they know a topic.

This module is the method, and only the method: it never reads the database.
The product (`expertise.services`, for "who knows about X?" and for routing
questions) and the benchmark (`kollega bench routing`) both turn what they
know into `Evidence` and call `rank`, so what is measured is what runs.

A person's score for a topic is

    log(activity + ACTIVITY_FLOOR) + log(topical + TOPICAL_FLOOR)

- `topical` sums, over their evidence, weight × relevance × a slow decay
  (half-life about 250 days): an accepted answer on the topic counts more than
  an answer, helpful votes add, a question asked or a post written less, and
  being tagged by colleagues counts per colleague.
- `activity` sums the weight of all their evidence with a fast decay (about
  40 days' half-life): people who answer now answer again soon, and an expert
  who stopped contributing two years ago rarely answers today.
- Relevance is the share of the topic's tags the evidence carries plus the
  idf-weighted share of the topic's words it contains, so a rare word matters
  more than a common one.

In the product, closeness in the asker's network multiplies in too: a
contact counts (1 + 1), shared contacts less (see `expertise.services`).

The logarithms make the score a product: a very active colleague with
little on the topic and a quiet specialist can both rank, but nobody ranks on
activity alone (topical evidence is required to be a candidate at all).

Measured on a Stack Exchange replay (see README), against the most active
answerers, answer counts on the question's tags and BM25 over each person's
answers; the weights below were chosen for being plain and stable there
(small changes move MRR by about ±0.01), not fitted to one site.
"""

import heapq
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kollega.expertise.text import stems

DAY = 86_400.0
ACTIVITY_DECAY_DAYS = 60.0
TOPICAL_DECAY_DAYS = 365.0
ACTIVITY_FLOOR = 0.5
TOPICAL_FLOOR = 0.05
TEXT_SHARE = 0.5  # words weigh half as much as tags in relevance
EXPLAINED = 3  # pieces of evidence shown per person


class Kind(StrEnum):
    ANSWER = "answer"
    ACCEPTED_ANSWER = "accepted_answer"
    QUESTION = "question"
    POST = "post"
    COMMENT = "comment"
    TAGGED_BY_COLLEAGUES = "tagged_by_colleagues"
    OWN_TAG = "own_tag"
    COMMUNITY_MEMBER = "community_member"
    COMMUNITY_OWNER = "community_owner"
    BLOG_ENTRY = "blog_entry"
    WIKI_EDIT = "wiki_edit"
    BOOKMARK = "bookmark"


# What one piece of evidence is worth before relevance and decay.
BASE_WEIGHT = {
    Kind.ANSWER: 1.0,
    Kind.ACCEPTED_ANSWER: 3.0,
    Kind.QUESTION: 0.3,
    Kind.POST: 0.3,
    Kind.COMMENT: 0.2,
    Kind.TAGGED_BY_COLLEAGUES: 0.5,  # per colleague
    Kind.OWN_TAG: 0.5,
    Kind.COMMUNITY_MEMBER: 0.3,
    Kind.COMMUNITY_OWNER: 1.0,
    Kind.BLOG_ENTRY: 1.0,
    Kind.WIKI_EDIT: 1.0,  # pages carry no tags, so a title match counts at most half
    Kind.BOOKMARK: 0.2,
}
HELPFUL_VOTE = 0.3
HELPFUL_CAP = 10
# Tags people carry are not dated events: they count as if a few months old.
UNDATED_AGE_DAYS = 90.0


def weight_of(kind: Kind, helpful: int = 0, colleagues: int = 1) -> float:
    """What a piece of evidence is worth: its kind, helpful votes (capped), tagging colleagues."""
    weight = BASE_WEIGHT[kind] * (colleagues if kind == Kind.TAGGED_BY_COLLEAGUES else 1)
    if kind in (Kind.ANSWER, Kind.ACCEPTED_ANSWER):
        weight += HELPFUL_VOTE * min(max(helpful, 0), HELPFUL_CAP)
    return weight


@dataclass(frozen=True)
class Topic:
    """What someone wants to know about: tags and idf-weighted word stems."""

    tags: frozenset[str]
    words: Mapping[str, float]  # stem -> weight, summing to 1

    @classmethod
    def from_text(
        cls,
        text: str,
        tags: Iterable[str] = (),
        document_frequency: Mapping[str, int] | None = None,
        documents: int = 0,
    ) -> "Topic":
        """A topic from free text and tags; rarer words weigh more when frequencies are known."""
        found = set(stems(text))
        df = document_frequency or {}
        idf = {s: math.log(1 + (documents or 1) / (1 + df.get(s, 0))) for s in found}
        total = sum(idf.values())
        words = {s: w / total for s, w in idf.items()} if total else {}
        return cls(frozenset(tags), words)

    def __bool__(self) -> bool:
        return bool(self.tags or self.words)


@dataclass
class Evidence:
    """One thing a person did or had done to them that says what they know."""

    kind: Kind
    at: datetime | None
    weight: float
    tags: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    label: str = ""
    url: str = ""
    # Sentences and links cost time to make; the product makes them only for what it shows.
    describe: Callable[[], tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    def explained(self) -> "Evidence":
        """This evidence with its label and link made (once)."""
        if self.describe is not None:
            self.label, self.url = self.describe()
            self.describe = None
        return self

    def relevance(self, topic: Topic) -> float:
        """How much of `topic` this evidence covers: tag share plus weighted word share."""
        tag_share = len(topic.tags & self.tags) / len(topic.tags) if topic.tags else 0.0
        word_share = sum(w for s, w in topic.words.items() if s in self.words)
        return tag_share + TEXT_SHARE * word_share


@dataclass
class Ranked:
    """A person's place in a ranking, with the evidence that put them there, strongest first."""

    person: Hashable
    score: float
    evidence: list[Evidence] = field(default_factory=list)


def _age_days(at: datetime | None, now: datetime) -> float:
    if at is None:
        return UNDATED_AGE_DAYS
    return max((now - at).total_seconds() / DAY, 0.0)


def activity_of(pieces: Iterable[tuple[float, float]]) -> float:
    """Recent activity from (age in days, weight) pairs, fast decay."""
    return sum(w * math.exp(-age / ACTIVITY_DECAY_DAYS) for age, w in pieces)


def activity_from_evidence(evidence: Iterable[Evidence], now: datetime) -> float:
    """Recent activity of everything a person did, whatever the topic."""
    return activity_of((_age_days(e.at, now), e.weight) for e in evidence if e.at is not None)


def topical(
    evidence: Iterable[Evidence], topic: Topic, now: datetime
) -> list[tuple[float, Evidence]]:
    """Each relevant piece of evidence with what it contributes to the topic (slow decay)."""
    found = []
    for item in evidence:
        relevance = item.relevance(topic)
        if relevance:
            decay = math.exp(-_age_days(item.at, now) / TOPICAL_DECAY_DAYS)
            found.append((item.weight * relevance * decay, item))
    return found


def score(activity: float, contributions: Iterable[float], closeness: float = 0.0) -> float:
    """The ranking score from recent activity, topical contributions and closeness."""
    return (
        math.log(activity + ACTIVITY_FLOOR)
        + math.log(sum(contributions) + TOPICAL_FLOOR)
        + math.log1p(closeness)
    )


def rank(
    evidence: Mapping[Hashable, list[Evidence]],
    activity: Mapping[Hashable, float],
    topic: Topic,
    now: datetime,
    limit: int | None = 10,
    closeness: Mapping[Hashable, float] | None = None,
) -> list[Ranked]:
    """People with topical evidence, best first, each with their strongest evidence.

    `evidence` holds each candidate's evidence (topical or not; only the
    relevant pieces count); `activity` their recent activity (`activity_of`);
    `closeness` how near each is to whoever asks (a contact 1, none 0).
    Ties go to the smaller person key so the order is stable.
    """
    ranked = []
    for person, items in evidence.items():
        found = topical(items, topic, now)
        if not found:
            continue
        found.sort(key=lambda cw: -cw[0])
        ranked.append(
            Ranked(
                person,
                score(
                    activity.get(person, 0.0),
                    (c for c, _ in found),
                    closeness.get(person, 0.0) if closeness else 0.0,
                ),
                [e for _, e in found[:EXPLAINED]],
            )
        )
    key = lambda r: (-r.score, str(r.person))  # noqa: E731
    if limit is None:
        return sorted(ranked, key=key)
    return heapq.nsmallest(limit, ranked, key=key)
