"""`kollega bench routing` on a tiny hand-made dump whose right answers are known."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kollega.expertise import ranking
from kollega.expertise.routing_bench.dump import read_dump
from kollega.expertise.routing_bench.replay import (
    Tally,
    _percentiles,
    order,
    questions_to_replay,
    questions_to_test,
    replay,
)
from kollega.expertise.routing_bench.systems import EXPERIMENTS, SYSTEMS, _topic

# The real dump docs/routing.md's figures come from, beside the project as in CI.
BEER = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "stackexchange-beer"

HEADER = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n<{name}>\n'


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    lines = [HEADER.format(name=name.lower())]
    for row in rows:
        attrs = " ".join(f'{k}="{v}"' for k, v in row.items())
        lines.append(f"  <row {attrs} />\n")
    lines.append(f"</{name.lower()}>\n")
    (folder / f"{name}.xml").write_text("".join(lines), encoding="utf-8")


def q(id, day, owner, title, tags, accepted=""):
    row = {"Id": id, "PostTypeId": 1, "CreationDate": day, "OwnerUserId": owner}
    row |= {"Title": title, "Body": f"&lt;p&gt;{title}&lt;/p&gt;", "Tags": tags}
    return row | ({"AcceptedAnswerId": accepted} if accepted else {})


def a(id, day, owner, parent, text):
    return {"Id": id, "PostTypeId": 2, "CreationDate": day, "OwnerUserId": owner} | {
        "ParentId": parent,
        "Body": f"&lt;p&gt;{text}&lt;/p&gt;",
    }


@pytest.fixture
def tiny_dump(tmp_path):
    """Six questions; the last two (30 %) are tested.

    - Before Q5: u1 answered Q1-Q3 (wine), u2 answered Q4 (hops).
    - Q5 (hops), asked by u9: answered by u2 (accepted, two days later) - the truth.
    - u4 answers Q1-Q4 after Q5 was asked: that must not count for Q5.
    - Q6, asked by u1 (never proposed to themself): answered by u3, who has no history.
    """
    posts = [
        q(1, "2020-01-01T10:00:00.000", 9, "Red wine glass", "&lt;wine&gt;"),
        q(2, "2020-01-02T10:00:00.000", 9, "White wine cellar", "&lt;wine&gt;"),
        q(3, "2020-01-03T10:00:00.000", 9, "Wine and cheese", "&lt;wine&gt;"),
        q(4, "2020-01-04T10:00:00.000", 9, "Bitter hops in ale", "&lt;hops&gt;"),
        q(5, "2020-02-01T01:00:00.000", 9, "Which hops for a pale ale", "&lt;hops&gt;", 51),
        q(6, "2020-02-02T10:00:00.000", 1, "Cider from pears", "&lt;cider&gt;"),
        a(11, "2020-01-01T12:00:00.000", 1, 1, "A big bowl for red wine"),
        a(21, "2020-01-02T12:00:00.000", 1, 2, "Cool and dark for wine"),
        a(31, "2020-01-03T12:00:00.000", 1, 3, "Blue cheese and port wine"),
        a(41, "2020-01-04T12:00:00.000", 2, 4, "Hops give bitterness to ale"),
        a(51, "2020-02-01T12:00:00.000", 2, 5, "Cascade hops for pale ale"),
        a(12, "2020-02-01T05:00:00.000", 4, 1, "late"),
        a(22, "2020-02-01T05:00:00.000", 4, 2, "late"),
        a(32, "2020-02-01T05:00:00.000", 4, 3, "late"),
        a(42, "2020-02-01T05:00:00.000", 4, 4, "late"),
        a(61, "2020-02-02T12:00:00.000", 3, 6, "Perry is pear cider"),
    ]
    _write(tmp_path, "Posts", posts)
    _write(tmp_path, "Comments", [])
    _write(
        tmp_path,
        "Votes",
        [{"Id": 1, "PostId": 51, "VoteTypeId": 1, "CreationDate": "2020-02-03T00:00:00.000"}],
    )
    return tmp_path


def test_the_dump_knows_who_answered_and_who_was_accepted(tiny_dump):
    dump = read_dump(tiny_dump)
    assert dump.questions["5"].answerers == {"2"}
    assert dump.questions["5"].accepted_answerer == "2"
    assert dump.questions["6"].answerers == {"3"}
    assert questions_to_test(dump, 0.3) == {"5", "6"}


def test_scores_are_the_known_right_ones_and_nothing_from_the_future_counts(tiny_dump):
    result = replay(read_dump(tiny_dump), SYSTEMS | EXPERIMENTS, 0.3)
    assert result["questions"] == 2
    systems = result["systems"]
    # Q5: most active so far is u1 (3 answers), then u2 (1); u4's later answers do not
    # count, or u4 (4) would be first. Q6: u3 has no history: reciprocal rank 0.
    assert systems["most_active"]["mrr_any"] == pytest.approx((1 / 2 + 0) / 2)
    assert systems["most_active"]["hit1_any"] == 0.0
    assert systems["most_active"]["hit5_any"] == 0.5
    # Only Q5 has an accepted answer.
    assert systems["most_active"]["mrr_accepted"] == pytest.approx(1 / 2)
    # u2 is the only one with an answer on #hops, and the only one whose answers say "hops".
    for name in ("tag_count", "bm25", "kollega", "learned_routing"):
        assert systems[name]["mrr_any"] == pytest.approx(0.5), name
        assert systems[name]["mrr_accepted"] == pytest.approx(1.0), name
    # Two timed rankings: the median and the 99th percentile are both the slower one.
    assert result["latency_ms"]["p99"] == result["latency_ms"]["p50"]


def test_latency_percentiles_are_read_from_the_sorted_timings():
    timings = [float(ms) for ms in range(100, 0, -1)]  # 100 ms … 1 ms, slowest first
    assert _percentiles(timings) == {"p50": 51.0, "p99": 100.0}
    assert _percentiles([3.0, 1.0, 2.0]) == {"p50": 2.0, "p99": 3.0}
    assert _percentiles([]) == {"p50": 0.0, "p99": 0.0}


def test_the_asker_is_never_ranked():
    assert order({"u1": 5.0, "u2": 1.0, "u3": 1.0}, asker="u1") == ["u2", "u3"]


def test_reciprocal_rank_and_hits():
    tally = Tally()
    tally.add(["a", "b", "c"], {"b"})
    tally.add(["a", "b", "c"], {"x"})
    assert tally.mrr() == pytest.approx(0.25)
    assert (tally.hit(1), tally.hit(5)) == (0.0, 0.5)


def test_command_prints_json_and_refuses_a_folder_that_is_no_dump(tiny_dump, tmp_path, capsys):
    call_command("bench", "routing", "--dump", str(tiny_dump), "--json")
    result = json.loads(capsys.readouterr().out)
    assert set(result["systems"]) == {"kollega", "most_active", "tag_count", "bm25"}
    assert set(result["systems"]["kollega"]) >= {"mrr_any", "hit10_accepted"}
    call_command("bench", "routing", "--dump", str(tiny_dump), "--json", "--experiments")
    assert "learned_routing" in json.loads(capsys.readouterr().out)["systems"]
    with pytest.raises(CommandError, match="not a Stack Exchange dump"):
        call_command("bench", "routing", "--dump", str(tmp_path / "nowhere"))


def test_the_learner_learns_only_from_answers_given_before_the_question(tiny_dump):
    from kollega.expertise.routing_bench.systems import LearnedRouting

    seen = {}

    class Spy(LearnedRouting):
        def observe(self, history, question):
            seen[question.id] = set(self.labels(history))
            super().observe(history, question)

    replay(read_dump(tiny_dump), {"learned_routing": Spy(refit_every=1)}, 0.3)
    # Before Q5 (1 February, 01:00): u1 had answered Q2 and Q3 while being a candidate
    # for them. u2's answer to Q5 (12:00) and u4's late answers (05:00) are the future.
    assert seen["5"] == {("2", "1"), ("3", "1")}
    # By Q6 (2 February) u2's answer to Q5 is known and may be learned from.
    assert ("5", "2") in seen["6"]
    assert not any(person == "4" for _q, person in seen["6"])  # no candidate when asked
    # Every question is observed, tested or not.
    assert set(seen) == {"1", "2", "3", "4", "5", "6"}


def test_a_validation_slice_ends_before_the_test_questions(tiny_dump):
    dump = read_dump(tiny_dump)
    # Six questions: the slice of 0.5 ending at 0.7 holds Q2 (index 1) to Q4 (index 3).
    assert questions_to_test(dump, 0.5, end=0.7) == {"2", "3", "4"}
    assert questions_to_test(dump, 0.3) == {"5", "6"}


def test_progress_counts_every_question_gone_through_up_to_the_last_tested(tiny_dump):
    dump = read_dump(tiny_dump)
    told = []
    replay(dump, SYSTEMS, 0.5, progress=told.append, end=0.7)
    # Q1 to Q4: the history before Q2 is replayed too; Q5 and Q6 are never reached.
    assert sum(told) == questions_to_replay(dump, {"2", "3", "4"}) == 4


def test_validation_tests_a_slice_of_the_first_70_percent_and_never_the_test_period(
    tiny_dump, capsys
):
    dump = read_dump(tiny_dump)
    # 50-70 % of six questions is Q4 alone (0.7 - 0.2 is 0.4999… in floating point:
    # unrounded, the slice would start one question early, at Q3).
    assert questions_to_test(dump, 0.2, end=0.7) == {"4"}
    call_command("bench", "routing", "--dump", str(tiny_dump), "--json", "--validation")
    result = json.loads(capsys.readouterr().out)
    assert result["questions"] == 1  # Q4; Q5 and Q6, the test period, are not ranked
    # Before Q4 only u1 has answered, on wine: nobody right can be ranked.
    assert result["systems"]["most_active"]["mrr_any"] == 0.0
    with pytest.raises(CommandError, match="between 0 and 0.7"):
        call_command(
            "bench", "routing", "--dump", str(tiny_dump), "--validation", "--test-share", "0.8"
        )


def ranked_from_every_piece(history, question):
    """Kollega's scores as `ranking.rank` makes them, from each person's pieces of evidence."""
    last_seen = {
        p: ranking.days_since_seen(items, question.at) for p, items in history.evidence.items()
    }
    activity = {
        p: ranking.activity_from_evidence(items, question.at)
        for p, items in history.evidence.items()
    }
    ranked = ranking.rank(
        history.evidence,
        activity,
        _topic(history, question),
        question.at,
        None,
        last_seen=last_seen,
    )
    return {r.person: r.score for r in ranked}


@pytest.mark.skipif(not BEER.is_dir(), reason="the shared data folder is not beside the project")
def test_the_replay_scores_kollega_as_the_ranking_does_from_every_piece_of_evidence():
    """Running sums, not each piece: same people, same scores, same figures on the real dump."""
    compared = []

    def kollega(history, question):
        scores = SYSTEMS["kollega"](history, question)
        compared.append((scores, ranked_from_every_piece(history, question)))
        return scores

    # The last 15 %: the most history behind each question, accepted answers and votes in it.
    result = replay(
        read_dump(BEER), {"kollega": kollega, "reference": ranked_from_every_piece}, 0.15
    )
    assert len(compared) == result["questions"] > 100
    for sums, pieces in compared:
        assert sums.keys() == pieces.keys()
        assert all(sums[p] == pytest.approx(pieces[p], abs=1e-9) for p in sums)
    assert result["systems"]["kollega"] == result["systems"]["reference"]


def test_routing_that_acts_sends_the_top_people_and_the_cap_spreads_the_load():
    from datetime import date

    from kollega.expertise.routing_bench.load import Load

    day = date(2026, 12, 7)
    uncapped, capped = Load(batch=2), Load(batch=2, cap=2)
    for _n in range(3):
        for load in (uncapped, capped):
            load.send(["a", "b", "c", "d"], day, {"c"})
    assert uncapped.sent == {"a": 3, "b": 3}
    assert uncapped.top_share(2) == 1.0 and uncapped.reached == 0
    # The third question of the day skips a and b, at the cap, for c and d.
    assert capped.sent == {"a": 2, "b": 2, "c": 1, "d": 1}
    assert capped.top_share(2) == pytest.approx(4 / 6)
    assert capped.figures() == {
        "top2_share": 0.6667,
        "reached_answerer": 0.3333,
        "most_in_a_day": 2,
    }
    # A new day, a new count.
    capped.send(["a", "b"], date(2026, 12, 8), set())
    assert capped.sent["a"] == 3


def test_the_replay_reports_the_routed_load(tiny_dump):
    result = replay(read_dump(tiny_dump), SYSTEMS, 0.3, cap=1)
    assert result["load"]["cap"] == 1
    assert set(result["load"]["capped"]) == {"top2_share", "reached_answerer", "most_in_a_day"}
    # Capped at one a day, nobody is sent more than one question on any day.
    assert result["load"]["capped"]["most_in_a_day"] == 1
