"""The pure ranking method (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from kollega.expertise import ranking
from kollega.expertise.ranking import Evidence, Kind, Topic

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _answer(days_ago: float, tags=("wine",)) -> Evidence:
    return Evidence(Kind.ANSWER, NOW - timedelta(days=days_ago), 1.0, frozenset(tags))


def test_someone_seen_this_week_ranks_before_a_busier_colleague_silent_for_a_month():
    evidence = {
        "gone": [_answer(30 + i) for i in range(20)],
        "here": [_answer(1 + i) for i in range(8)],
    }
    activity = {p: ranking.activity_from_evidence(e, NOW) for p, e in evidence.items()}
    seen = {p: ranking.days_since_seen(e, NOW) for p, e in evidence.items()}
    assert seen == {"gone": pytest.approx(30), "here": pytest.approx(1)}
    topic = Topic(frozenset({"wine"}), {})

    def order(**kwargs) -> list[str]:
        return [r.person for r in ranking.rank(evidence, activity, topic, NOW, **kwargs)]

    # More answers, still within two months: the decayed sum alone prefers "gone".
    assert order() == ["gone", "here"]
    assert order(last_seen=seen) == ["here", "gone"]
    # Given last-seen dates, someone missing from them counts as unseen for a year.
    assert order(last_seen={"gone": 30.0}) == ["gone", "here"]


def test_presence_halves_after_a_week_and_never_raises_a_score():
    assert ranking.presence(0) == 1.0
    assert ranking.presence(7) == pytest.approx(0.5)
    assert ranking.presence(None) == ranking.presence(ranking.UNSEEN_DAYS)
    assert ranking.days_since_seen([Evidence(Kind.OWN_TAG, None, 1.0)], NOW) is None
    # A score without presence (what a profile bounds) is never below one with it.
    for days in (0, 1, 30, None):
        assert ranking.score(2.0, [1.0], presence=ranking.presence(days)) <= ranking.score(
            2.0, [1.0]
        )


def test_tags_and_words_as_tuples_weigh_as_sets():
    topic = ranking.Topic(frozenset({"storage", "wine"}), {"cellar": 0.7, "humid": 0.3})
    as_sets = Evidence(Kind.ANSWER, NOW, 1.0, frozenset({"storage", "beer"}), frozenset({"cellar"}))
    as_tuples = Evidence(Kind.ANSWER, NOW, 1.0, ("storage", "beer"), ("cellar",))
    assert as_tuples.relevance(topic) == as_sets.relevance(topic) == 0.5 + 0.5 * 0.7
