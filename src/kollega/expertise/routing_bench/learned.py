"""The learned-routing experiment: ranking by weights learned from answered questions.

An experiment the product does not run (`kollega bench routing --experiments`
prints it as `learned_routing`; see docs/routing.md): it lives beside the
benchmark, and the product's `kollega.expertise.ranking` has one path.

The score is a weighted sum of a few features (`FEATURES`: the ranking's
two terms, answers at several decays, all answers, days since last active;
`features`, `learned_score`, `rank_learned`). `DEFAULT_WEIGHTS` give exactly
`ranking.score` without presence. `ROUTING_WEIGHTS` are for "who will answer
this question": answers of the last month lead, the topic weighs less. How
much the topic matters differs from one organisation to the next, so those
two weights can be learned from the organisation's own answered questions
(`fit_weights`: a conditional logit, the answerer against the others who
could have answered the same question, pulled towards the prior weights so
little history changes little).
"""

import math
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kollega.expertise.ranking import (
    ACTIVITY_DECAY_DAYS,
    ACTIVITY_FLOOR,
    DAY,
    EXPLAINED,
    TOPICAL_FLOOR,
    Evidence,
    Kind,
    Ranked,
    Topic,
    activity_of,
    best_first,
    topical,
)

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


def rank_learned(
    evidence: Mapping[Hashable, list[Evidence]],
    profiles: Mapping[Hashable, ActivityProfile],
    topic: Topic,
    now: datetime,
    weights: Weights,
    limit: int | None = 10,
    closeness: Mapping[Hashable, float] | None = None,
) -> list[Ranked]:
    """`ranking.rank` with learned weights: people with topical evidence, best first.

    The score is `learned_score` of each person's `features`, from
    `profiles` (a person without one counts as `ActivityProfile()`), plus
    closeness as `ranking.score` adds it; presence is not used (the
    features' days since active play its part). Ties go to the smaller
    person key, as in `ranking.rank`.
    """
    ranked = []
    for person, items in evidence.items():
        found = topical(items, topic, now)
        if not found:
            continue
        found.sort(key=lambda cw: -cw[0])
        near = closeness.get(person, 0.0) if closeness else 0.0
        profile = profiles.get(person) or ActivityProfile()
        value = learned_score(features(profile, sum(c for c, _ in found)), weights) + math.log1p(
            near
        )
        ranked.append(Ranked(person, value, [e for _, e in found[:EXPLAINED]]))
    return best_first(ranked, limit)


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
