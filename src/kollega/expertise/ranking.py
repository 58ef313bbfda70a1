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

Measured on a Stack Exchange replay (see README), against the most active
answerers, answer counts on the question's tags and BM25 over each person's
answers; the weights below were chosen for being plain and stable there
(small changes move MRR by about ±0.01), not fitted to one site. Presence was
chosen on validation questions only (the first 70 % of the site's questions):
a week as its scale is a plain unit of people's routine, and 3 or 14 days did
no better.

Learned weights. The score can also be a weighted sum of a few features
(`FEATURES`: the two terms above, answers at several decays, all answers,
days since last active; `features`, `learned_score`, `rank(weights=...)`).
`DEFAULT_WEIGHTS` give exactly the score above without presence.
`ROUTING_WEIGHTS` are for "who will answer this question": answers of the
last month lead, the topic weighs less. How much the topic matters differs
from one organisation to the next, so those two weights can be learned from
the organisation's own answered questions (`fit_weights`: a conditional
logit, the answerer against the others who could have answered the same
question, pulled towards the prior weights so little history changes little).
"""

import heapq
import math
import random
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
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
    profiles: Mapping[Hashable, "ActivityProfile"] | None = None,
    weights: "Weights | None" = None,
    last_seen: Mapping[Hashable, float] | None = None,
) -> list[Ranked]:
    """People with topical evidence, best first, each with their strongest evidence.

    `evidence` holds each candidate's evidence (topical or not; only the
    relevant pieces count); `activity` their recent activity (`activity_of`);
    `closeness` how near each is to whoever asks (a contact 1, none 0);
    `last_seen` the days since each was last seen (`days_since_seen`): given,
    a person missing from it counts as unseen (`presence`); None leaves
    presence out (1 for all).
    With `weights` (learned, see `fit_weights`), the score is
    `learned_score` of each person's `features`, from `profiles` (a person
    without one counts as `ActivityProfile(activity=activity[person])`), and
    `last_seen` is not used (the features' days since active play its part);
    without, it is `score`.
    Ties go to the smaller person key so the order is stable.
    """
    ranked = []
    for person, items in evidence.items():
        found = topical(items, topic, now)
        if not found:
            continue
        found.sort(key=lambda cw: -cw[0])
        near = closeness.get(person, 0.0) if closeness else 0.0
        if weights is None:
            here = 1.0 if last_seen is None else presence(last_seen.get(person))
            value = score(activity.get(person, 0.0), (c for c, _ in found), near, here)
        else:
            profile = (profiles or {}).get(person) or ActivityProfile(activity.get(person, 0.0))
            value = learned_score(
                features(profile, sum(c for c, _ in found)), weights
            ) + math.log1p(near)
        ranked.append(Ranked(person, value, [e for _, e in found[:EXPLAINED]]))
    key = lambda r: (-r.score, str(r.person))  # noqa: E731
    if limit is None:
        return sorted(ranked, key=key)
    return heapq.nsmallest(limit, ranked, key=key)


# --- Learned weights ---------------------------------------------------------

# Answers counted at several decays: which one says "will answer now" best
# depends on how busy the organisation is, so the learning picks the mix.
ANSWER_DECAYS_DAYS = (7.0, 30.0, 90.0, 365.0)
# Never having been active reads as ten years ago (log1p keeps it bounded).
NEVER_DAYS = 3650.0
FEATURES = (
    "activity",  # log(activity + ACTIVITY_FLOOR): the hand-made activity term
    "topical",  # log(topical + TOPICAL_FLOOR): the hand-made topical term
    *(f"answers_{int(d)}d" for d in ANSWER_DECAYS_DAYS),  # log1p(decayed answer count)
    "answers",  # log1p(all answers): the "most active answerers" signal
    "days_since_active",  # log1p(days since the latest dated evidence)
)
ANSWER_KINDS = frozenset({Kind.ANSWER, Kind.ACCEPTED_ANSWER})
# Below this many answered questions, learning would follow noise: keep the defaults.
MIN_EXAMPLES = 30
# How strongly the learning is pulled towards its prior weights (a Gaussian prior):
# a few hundred answered questions move them, a handful do not.
PRIOR_STRENGTH = 30.0
FIT_ITERATIONS = 8
MAX_STEP = 2.0  # Newton steps are clipped: a few odd examples must not throw the weights far


@dataclass(frozen=True)
class ActivityProfile:
    """What the features need to know about a person besides the topic.

    `activity` is the hand-made recent activity (`activity_of`);
    `answers_decayed` the answer counts decayed by each of
    `ANSWER_DECAYS_DAYS`; `answers` all their answers; `days_since_active`
    the age of their latest dated evidence (None: never).
    """

    activity: float = 0.0
    answers_decayed: tuple[float, ...] = (0.0,) * len(ANSWER_DECAYS_DAYS)
    answers: int = 0
    days_since_active: float | None = None


def profile_from_pieces(
    activity_pieces: Iterable[tuple[float, float]],
    answer_pieces: Iterable[tuple[float, int]] = (),
    answers: int | None = None,
    days_since_active: float | None = None,
) -> ActivityProfile:
    """A profile from counts: (age in days, weight) of everything, (age in days, count) of answers.

    For callers that read bucketed counts rather than every row (as
    `expertise.evidence.activity` does); `answers` defaults to the answers
    in `answer_pieces`.
    """
    answer_pieces = list(answer_pieces)
    decayed = tuple(
        sum(n * math.exp(-age / d) for age, n in answer_pieces) for d in ANSWER_DECAYS_DAYS
    )
    total = sum(n for _, n in answer_pieces) if answers is None else answers
    return ActivityProfile(activity_of(activity_pieces), decayed, total, days_since_active)


def profile_of(evidence: Iterable[Evidence], now: datetime) -> ActivityProfile:
    """A person's profile from all their evidence (dated pieces only count as activity)."""
    activity = 0.0
    decayed = [0.0] * len(ANSWER_DECAYS_DAYS)
    answers = 0
    latest: float | None = None
    for item in evidence:
        if item.at is None:
            continue
        age = max((now - item.at).total_seconds() / DAY, 0.0)
        activity += item.weight * math.exp(-age / ACTIVITY_DECAY_DAYS)
        if latest is None or age < latest:
            latest = age
        if item.kind in ANSWER_KINDS:
            answers += 1
            for i, d in enumerate(ANSWER_DECAYS_DAYS):
                decayed[i] += math.exp(-age / d)
    return ActivityProfile(activity, tuple(decayed), answers, latest)


def features(profile: ActivityProfile, topical_sum: float) -> list[float]:
    """The feature vector (in `FEATURES` order) of a person for a topic."""
    since = NEVER_DAYS if profile.days_since_active is None else profile.days_since_active
    return [
        math.log(profile.activity + ACTIVITY_FLOOR),
        math.log(topical_sum + TOPICAL_FLOOR),
        *(math.log1p(a) for a in profile.answers_decayed),
        math.log1p(profile.answers),
        math.log1p(min(since, NEVER_DAYS)),
    ]


@dataclass(frozen=True)
class Weights:
    """One weight per feature, by name (a feature not named weighs 0)."""

    values: Mapping[str, float]
    examples: int = 0  # how many answered questions they were learned from
    _vector: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Made once: scoring thousands of people must not look names up each time.
        vector = tuple(float(self.values.get(name, 0.0)) for name in FEATURES)
        object.__setattr__(self, "_vector", vector)

    def vector(self) -> list[float]:
        """The weights in `FEATURES` order."""
        return list(self._vector)

    def to_json(self) -> dict:
        """A JSON-ready form, to store learned weights."""
        return {"values": dict(self.values), "examples": self.examples}

    @classmethod
    def from_json(cls, data: Mapping | None, default: "Weights | None" = None) -> "Weights":
        """Weights stored by `to_json` (unknown features dropped).

        Nothing stored gives `default` (`DEFAULT_WEIGHTS` unless given; routing
        passes `ROUTING_WEIGHTS`).
        """
        if not data:
            return default or DEFAULT_WEIGHTS
        values = {k: float(v) for k, v in data.get("values", {}).items() if k in FEATURES}
        return cls(values, int(data.get("examples", 0)))


# Exactly the hand-made `score` without presence: "who knows about X", where the topic leads.
DEFAULT_WEIGHTS = Weights({"activity": 1.0, "topical": 1.0})
# "Who will answer this question": answers of the last month lead and the topic
# weighs less. Chosen on the first 70 % of the beer replay only (validation
# slices 20-35, 35-50 and 50-70 %: a plateau for topical 0.2-0.4; answers decayed
# over 7 or 90 days, or all activity, did worse than over 30), never on its test
# questions; an organisation's own history then moves them (`ROUTING_LEARNED`).
ROUTING_WEIGHTS = Weights({"answers_30d": 1.0, "topical": 0.3})
# Two weights only: with more (several decays, all answers, days since active),
# refits on a few hundred questions swung and ranked worse on validation.
ROUTING_LEARNED = ("answers_30d", "topical")


def learned_score(vector: Sequence[float], weights: Weights) -> float:
    """The score of a feature vector under `weights`."""
    return sum(w * x for w, x in zip(weights._vector, vector, strict=True))


@dataclass
class Example:
    """One answered question as training data: the answerer's features and the others'."""

    chosen: list[float]
    others: list[list[float]]


def sample_others(
    others: Sequence[list[float]], keep: int, seed: Hashable = 0
) -> list[list[float]]:
    """Who could have answered, thinned for learning: the strongest by default score, and a sample.

    The strongest are the ones the answerer must beat; the random rest keeps
    the learning honest about everyone else. `seed` makes it repeatable.
    """
    if len(others) <= 2 * keep:
        return list(others)
    default = DEFAULT_WEIGHTS
    ordered = sorted(others, key=lambda x: -learned_score(x, default))
    rest = ordered[keep:]
    return ordered[:keep] + random.Random(str(seed)).sample(rest, keep)


def fit_weights(
    examples: Sequence[Example],
    start: Weights | None = None,
    prior: Weights = DEFAULT_WEIGHTS,
    strength: float = PRIOR_STRENGTH,
    iterations: int = FIT_ITERATIONS,
    learn: Sequence[str] = FEATURES,
    nonnegative: bool = False,
) -> Weights:
    """Weights that make the real answerers score above the others (a conditional logit).

    Maximises the sum over examples of log P(answerer | question), with
    P ∝ exp(weights · features), minus `strength`/2 · |weights − prior|²,
    by Newton's method (a handful of features: the Hessian is tiny). Only
    the features named in `learn` move; the others keep their `prior`
    weight. Fewer than `MIN_EXAMPLES` examples give `prior` unchanged.
    `start` warm-starts a refit. `nonnegative` keeps learned weights at 0 or
    more, so that more answers or more evidence never lowers a score (what an
    upper bound on a score read from a profile relies on).
    """
    if len(examples) < MIN_EXAMPLES:
        return prior
    learned = [FEATURES.index(name) for name in learn]
    fixed = [(i, prior.vector()[i]) for i in range(len(FEATURES)) if i not in learned]
    d = len(learned)
    mean_prior = [prior.vector()[i] for i in learned]
    w = [(start or prior).vector()[i] for i in learned]
    # The fixed features add the same to a row's score at every step.
    data = [
        [
            ([x[i] for i in learned], sum(wf * x[i] for i, wf in fixed))
            for x in (e.chosen, *e.others)
        ]
        for e in examples
    ]
    for _ in range(iterations):
        gradient = [-strength * (wi - pi) for wi, pi in zip(w, mean_prior, strict=True)]
        hessian = [[strength if i == j else 0.0 for j in range(d)] for i in range(d)]
        for rows in data:
            scores = [sum(wi * xi for wi, xi in zip(w, x, strict=True)) + o for x, o in rows]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            probs = [e / total for e in exps]
            mean = [sum(p * x[j] for p, (x, _o) in zip(probs, rows, strict=True)) for j in range(d)]
            chosen = rows[0][0]
            for j in range(d):
                gradient[j] += chosen[j] - mean[j]
            for p, (x, _o) in zip(probs, rows, strict=True):
                if p < 1e-9:  # adds nothing worth the time
                    continue
                centred = [x[j] - mean[j] for j in range(d)]
                for i in range(d):
                    pi = p * centred[i]
                    row = hessian[i]
                    for j in range(i, d):
                        row[j] += pi * centred[j]
        for i in range(d):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
        step = _solve(hessian, gradient)
        largest = max(abs(s) for s in step)
        if largest > MAX_STEP:
            step = [s * MAX_STEP / largest for s in step]
        w = [wi + si for wi, si in zip(w, step, strict=True)]
        if nonnegative:
            w = [max(wi, 0.0) for wi in w]
        if largest < 1e-4:
            break
    values = {FEATURES[i]: wf for i, wf in fixed if wf}
    values |= {FEATURES[i]: wi for i, wi in zip(learned, w, strict=True)}
    return Weights(values, len(examples))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix · x = vector (Gaussian elimination: the matrix is small)."""
    n = len(vector)
    rows = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(rows[r][c]))
        rows[c], rows[pivot] = rows[pivot], rows[c]
        lead = rows[c][c] or 1e-12
        for r in range(c + 1, n):
            factor = rows[r][c] / lead
            if factor:
                for k in range(c, n + 1):
                    rows[r][k] -= factor * rows[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (rows[r][n] - sum(rows[r][k] * x[k] for k in range(r + 1, n))) / (
            rows[r][r] or 1e-12
        )
    return x
