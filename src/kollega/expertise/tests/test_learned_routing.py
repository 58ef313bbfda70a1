"""The learned-routing experiment beside the routing benchmark: features, fitting, ranking."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from kollega.expertise import ranking
from kollega.expertise.ranking import Evidence, Kind, Topic
from kollega.expertise.routing_bench import learned
from kollega.expertise.routing_bench.learned import (
    DEFAULT_WEIGHTS,
    FEATURES,
    MIN_EXAMPLES,
    ActivityProfile,
    Example,
    Weights,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _answer(days_ago: float, tags=("wine",)) -> Evidence:
    return Evidence(Kind.ANSWER, NOW - timedelta(days=days_ago), 1.0, frozenset(tags))


def test_default_weights_rank_exactly_as_the_hand_made_score():
    evidence = {
        "busy": [_answer(1), _answer(2, ("beer",)), _answer(3, ("beer",))],
        "expert": [_answer(400), _answer(500), _answer(600)],
        "quiet": [_answer(50)],
    }
    activity = {p: ranking.activity_from_evidence(e, NOW) for p, e in evidence.items()}
    profiles = {p: learned.profile_of(e, NOW) for p, e in evidence.items()}
    topic = Topic(frozenset({"wine"}), {})
    plain = ranking.rank(evidence, activity, topic, NOW, limit=None)
    by_weights = learned.rank_learned(evidence, profiles, topic, NOW, DEFAULT_WEIGHTS, limit=None)
    assert [(r.person, r.score) for r in plain] == [
        (r.person, pytest.approx(r.score)) for r in by_weights
    ]


def test_a_profile_counts_answers_at_each_decay_and_the_last_activity():
    profile = learned.profile_of([_answer(10), _answer(400), Evidence(Kind.OWN_TAG, None, 1)], NOW)
    assert profile.answers == 2
    assert profile.days_since_active == pytest.approx(10)
    assert profile.answers_decayed[0] < profile.answers_decayed[-1]  # 7 days forgets faster
    assert profile.activity == pytest.approx(
        ranking.activity_from_evidence([_answer(10)], NOW)
        + ranking.activity_from_evidence([_answer(400)], NOW)
    )
    never = learned.features(ActivityProfile(), 0.0)
    assert len(never) == len(FEATURES)
    assert never[FEATURES.index("days_since_active")] > 8  # never active reads as long ago


def test_bucketed_counts_give_the_same_profile_as_rows():
    rows = learned.profile_of([_answer(10), _answer(10), _answer(100)], NOW)
    counted = learned.profile_from_pieces(
        [(10, 2.0), (100, 1.0)], [(10, 2), (100, 1)], days_since_active=10
    )
    assert counted.answers == rows.answers == 3
    assert counted.answers_decayed == pytest.approx(rows.answers_decayed)
    assert counted.activity == pytest.approx(rows.activity)


def _examples(n: int, seed: int = 1) -> list[Example]:
    """Answerers are the recently active ones, whatever the topic says."""
    rng = random.Random(seed)
    recent = FEATURES.index("answers_30d")
    examples = []
    for _ in range(n):
        people = [[rng.gauss(0, 1) for _ in FEATURES] for _ in range(20)]
        chosen = max(people, key=lambda x: x[recent] + rng.gauss(0, 0.3))
        examples.append(Example(chosen, [x for x in people if x is not chosen]))
    return examples


def test_learning_finds_the_feature_that_says_who_answers():
    weights = learned.fit_weights(_examples(200))
    assert weights.examples == 200
    values = dict(weights.values)
    assert values["answers_30d"] > 1.0
    assert values["answers_30d"] > max(abs(v) for k, v in values.items() if k != "answers_30d")
    # And it ranks new questions' answerers first more often than the defaults do.
    test = _examples(100, seed=2)

    def first(w: Weights) -> int:
        return sum(
            learned.learned_score(e.chosen, w) > max(learned.learned_score(x, w) for x in e.others)
            for e in test
        )

    assert first(weights) > first(DEFAULT_WEIGHTS) + 30


def test_too_little_history_keeps_the_defaults_and_weights_survive_json():
    assert learned.fit_weights(_examples(MIN_EXAMPLES - 1)) is DEFAULT_WEIGHTS
    weights = learned.fit_weights(_examples(MIN_EXAMPLES))
    assert Weights.from_json(weights.to_json()) == weights
    assert Weights.from_json(None) is DEFAULT_WEIGHTS
    assert Weights.from_json({"values": {"retired": 3.0, "topical": 2.0}}).vector() == [
        2.0 if name == "topical" else 0.0 for name in FEATURES
    ]


def test_sampling_keeps_the_strongest_others_and_is_repeatable():
    others = [[float(i)] * len(FEATURES) for i in range(100)]
    sample = learned.sample_others(others, 5, seed="q1")
    assert len(sample) == 10
    assert sample[:5] == [[float(i)] * len(FEATURES) for i in (99, 98, 97, 96, 95)]
    assert sample == learned.sample_others(others, 5, seed="q1")
    assert learned.sample_others(others[:8], 5) == others[:8]


def test_learning_only_the_routing_weights_keeps_the_others_at_the_prior():
    prior = Weights({"answers_30d": 1.0, "topical": 0.3, "answers": 0.5})
    weights = learned.fit_weights(_examples(100), prior=prior, learn=("answers_30d", "topical"))
    assert weights.values["answers"] == 0.5
    assert set(weights.values) == {"answers_30d", "topical", "answers"}
    assert weights.values["answers_30d"] > 1.0  # it is what says who answers here


def test_a_strong_prior_holds_the_weights_near_it():
    loose = learned.fit_weights(_examples(60), prior=DEFAULT_WEIGHTS, strength=1.0)
    held = learned.fit_weights(_examples(60), prior=DEFAULT_WEIGHTS, strength=1e6)
    assert held.vector() == pytest.approx(DEFAULT_WEIGHTS.vector(), abs=1e-3)
    assert loose.vector() != pytest.approx(DEFAULT_WEIGHTS.vector(), abs=0.1)


def test_routing_weights_put_the_answerer_of_last_month_before_an_old_specialist():
    evidence = {
        "now": [_answer(3), _answer(10, ("beer",)), _answer(20, ("beer",))],
        "specialist": [_answer(200 + i) for i in range(10)],
    }
    profiles = {p: learned.profile_of(e, NOW) for p, e in evidence.items()}
    topic = Topic(frozenset({"wine"}), {})

    def first(weights: Weights) -> str:
        return learned.rank_learned(evidence, profiles, topic, NOW, weights)[0].person

    assert first(learned.ROUTING_WEIGHTS) == "now"
    assert first(DEFAULT_WEIGHTS) == "specialist"


def test_routing_falls_back_to_its_own_weights_and_can_keep_them_nonnegative():
    assert Weights.from_json({}, default=learned.ROUTING_WEIGHTS) is learned.ROUTING_WEIGHTS
    # Here the answerers are those with the fewest recent answers: a free fit goes negative.
    flipped = [
        Example([-x for x in e.chosen], [[-v for v in o] for o in e.others]) for e in _examples(60)
    ]
    learn = ("answers_30d", "topical")
    free = learned.fit_weights(flipped, prior=learned.ROUTING_WEIGHTS, learn=learn, strength=1)
    kept = learned.fit_weights(
        flipped, prior=learned.ROUTING_WEIGHTS, learn=learn, strength=1, nonnegative=True
    )
    assert free.values["answers_30d"] < 0
    assert min(kept.values.values()) >= 0
