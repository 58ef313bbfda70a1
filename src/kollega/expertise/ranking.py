"""The expertise ranking: how strongly the evidence people left says they know a topic.

This module is the method, and only the method: it never reads the database.
The product (`expertise.services`, for "who knows about X?" and for routing
questions) turns what it knows into `Evidence` and calls `rank`. The benchmark
(`kollega bench routing`) keeps the same sums as running totals while it
replays a site (`routing_bench.history.Sums`) and scores them with `score` and
`presence`; a test checks that this gives `rank`'s scores, so what is measured
is what runs.

A person's score for a topic is

    log(activity + ACTIVITY_FLOOR) + log(presence) + log(topical + TOPICAL_FLOOR)

- `topical` sums, over their evidence, weight × relevance × a slow decay
  (half-life about 250 days): an accepted answer on the topic counts more than
  an answer, helpful votes add, a question asked or a post written less, and
  being tagged by colleagues counts per colleague.
- `activity` sums the weight of all their evidence with a fast decay (about
  40 days' half-life): people who answer now answer again soon, and an expert
  who stopped contributing two years ago rarely answers today.
- `presence` is how likely they are still around, from the days since they
  were last seen: 1 / (1 + days / a week). A decayed sum cannot say this: a
  prolific person silent for a month still has a large sum, and a newcomer
  who asked something yesterday a small one. It multiplies the activity
  together with its floor, so it also separates people with little history
  (seen yesterday or last year). Routing weighs it ("who will answer this
  now?"; in the product "seen" is any request or sign-in,
  `kollega.people.presence`; in a dump, the newest thing someone did); "who
  knows about X?" does not (`rank`'s `last_seen` None: 1 for everyone), since
  a colleague on leave still knows what they know.
- Relevance is the share of the topic's tags the evidence carries plus the
  idf-weighted share of the topic's words it contains, so a rare word matters
  more than a common one.

In the product, closeness in the asker's network multiplies in too: a
contact counts (1 + 1), shared contacts less (see `expertise.services`).

The logarithms make the score a product: a very active colleague with
little on the topic and a quiet specialist can both rank, but nobody ranks on
activity alone (topical evidence is required to be a candidate at all).

Measured on a Stack Exchange replay (see docs/routing.md), against the most active
answerers, answer counts on the question's tags and BM25 over each person's
answers; the weights below were chosen for being plain and stable there
(small changes move MRR by about ±0.01), not fitted to one site. Presence was
chosen on validation questions only (the first 70 % of the site's questions):
a week as its scale is a plain unit of people's routine, and 3 or 14 days did
no better.
"""

import heapq
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kollega.expertise.text import stems

DAY = 86_400.0
ACTIVITY_DECAY_DAYS = 60.0
TOPICAL_DECAY_DAYS = 365.0
ACTIVITY_FLOOR = 0.5
TOPICAL_FLOOR = 0.05
# Presence halves a week after someone was last seen, and is a tenth after ten weeks.
PRESENCE_DAYS = 7.0
# Not seen in what was read (a year of activity in the product): as if a year ago.
UNSEEN_DAYS = 365.0
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
    # The stems alone, made once: every piece of evidence is matched against them.
    _stems: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_stems", frozenset(self.words))

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
    """One thing a person did or had done to them that says what they know.

    `tags` and `words` may be any collections without repeats: the product
    passes tuples, which the garbage collector stops tracking once it has seen
    them (a ranking holds a few hundred pieces while it runs; as frozensets
    they were carried into the oldest generation and hastened its full
    collections).
    """

    kind: Kind
    at: datetime | None
    weight: float
    tags: Collection[str] = frozenset()
    words: Collection[str] = frozenset()
    label: str = ""
    url: str = ""
    # Sentences and links cost time to make; the product makes them only for what it
    # shows: `describe(*about)` (a plain function and its arguments, for the same
    # reason as the tuples above).
    describe: Callable[..., tuple[str, str]] | None = field(default=None, repr=False, compare=False)
    about: tuple = field(default=(), repr=False, compare=False)

    def explained(self) -> "Evidence":
        """This evidence with its label and link made (once)."""
        if self.describe is not None:
            self.label, self.url = self.describe(*self.about)
            self.describe, self.about = None, ()
        return self

    def relevance(self, topic: Topic) -> float:
        """How much of `topic` this evidence covers: tag share plus weighted word share."""
        tag_share = len(topic.tags.intersection(self.tags)) / len(topic.tags) if topic.tags else 0.0
        # The shared stems found in C, then only those summed: a replay matches every
        # piece of everyone's evidence against each question's fifty-odd stems.
        shared = topic._stems.intersection(self.words)
        word_share = sum(topic.words[s] for s in shared) if shared else 0.0
        return tag_share + TEXT_SHARE * word_share


@dataclass
class Ranked:
    """A person's place in a ranking, with the evidence that put them there, strongest first."""

    person: Hashable
    score: float
    evidence: list[Evidence] = field(default_factory=list)


def age_days(at: datetime | None, now: datetime) -> float:
    """Days from `at` to `now` (never negative; undated: `UNDATED_AGE_DAYS`)."""
    if at is None:
        return UNDATED_AGE_DAYS
    return max((now - at).total_seconds() / DAY, 0.0)


def activity_of(pieces: Iterable[tuple[float, float]]) -> float:
    """Recent activity from (age in days, weight) pairs, fast decay."""
    return sum(w * math.exp(-age / ACTIVITY_DECAY_DAYS) for age, w in pieces)


def activity_from_evidence(evidence: Iterable[Evidence], now: datetime) -> float:
    """Recent activity of everything a person did, whatever the topic."""
    return activity_of((age_days(e.at, now), e.weight) for e in evidence if e.at is not None)


def presence(days_since_seen: float | None) -> float:
    """How likely someone is still around, from the days since they were last seen (None: unseen).

    1 / (1 + days / PRESENCE_DAYS): people come and go in spells, and the
    longer someone has been silent, the less likely they are reading now.
    """
    days = UNSEEN_DAYS if days_since_seen is None else max(days_since_seen, 0.0)
    return 1.0 / (1.0 + days / PRESENCE_DAYS)


def days_since_seen(evidence: Iterable[Evidence], now: datetime) -> float | None:
    """Days since a person's latest dated evidence, whatever the topic (None: none dated)."""
    ages = [age_days(e.at, now) for e in evidence if e.at is not None]
    return min(ages) if ages else None


def topical(
    evidence: Iterable[Evidence], topic: Topic, now: datetime
) -> list[tuple[float, Evidence]]:
    """Each relevant piece of evidence with what it contributes to the topic (slow decay)."""
    found = []
    for item in evidence:
        relevance = item.relevance(topic)
        if relevance:
            decay = math.exp(-age_days(item.at, now) / TOPICAL_DECAY_DAYS)
            found.append((item.weight * relevance * decay, item))
    return found


def score(
    activity: float,
    contributions: Iterable[float],
    closeness: float = 0.0,
    presence: float = 1.0,
) -> float:
    """The ranking score from recent activity, presence, topical contributions and closeness.

    `presence` is at most 1, so a score computed without it (a profile's bound)
    is never below the score with it.
    """
    return (
        math.log((activity + ACTIVITY_FLOOR) * presence)
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
    last_seen: Mapping[Hashable, float] | None = None,
) -> list[Ranked]:
    """People with topical evidence, best first, each with their strongest evidence.

    `evidence` holds each candidate's evidence (topical or not; only the
    relevant pieces count); `activity` their recent activity (`activity_of`);
    `closeness` how near each is to whoever asks (a contact 1, none 0);
    `last_seen` the days since each was last seen (`days_since_seen`): given,
    a person missing from it counts as unseen (`presence`); None leaves
    presence out (1 for all). The score is `score`.
    Ties go to the smaller person key so the order is stable.
    """
    ranked = []
    for person, items in evidence.items():
        found = topical(items, topic, now)
        if not found:
            continue
        found.sort(key=lambda cw: -cw[0])
        near = closeness.get(person, 0.0) if closeness else 0.0
        here = 1.0 if last_seen is None else presence(last_seen.get(person))
        value = score(activity.get(person, 0.0), (c for c, _ in found), near, here)
        ranked.append(Ranked(person, value, [e for _, e in found[:EXPLAINED]]))
    return best_first(ranked, limit)


def best_first(ranked: Iterable[Ranked], limit: int | None = 10) -> list[Ranked]:
    """The best `limit` (None: all), best first; ties go to the smaller person key."""
    key = lambda r: (-r.score, str(r.person))  # noqa: E731
    if limit is None:
        return sorted(ranked, key=key)
    return heapq.nsmallest(limit, ranked, key=key)
