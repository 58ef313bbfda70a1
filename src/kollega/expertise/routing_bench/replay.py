"""Replay a dump in time order and score each system's rankings against who answered.

The test questions are the last `test_share` of questions by creation date
that someone other than the asker answered. For each, every system ranks
everyone with history so far (the asker removed) before the question itself
is applied. Truths: anyone who answered it, and the author of the accepted
answer (questions without one count only for the first). A truth person
missing from the ranking scores a reciprocal rank of 0.

A system may also learn: `start()` is called once before the replay and
`observe(history, question)` before every question is applied (tested or
not, untimed: in the product learning is a background task). It sees the same
history as the rankings, so it cannot learn from the future either.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kollega.expertise.routing_bench.dump import Dump, Question
from kollega.expertise.routing_bench.history import History
from kollega.expertise.routing_bench.load import Load

CUTOFFS = (1, 5, 10)
TRUTHS = ("any", "accepted")


@dataclass
class Tally:
    """Reciprocal ranks and hits of one system for one truth."""

    reciprocal_ranks: list[float] = field(default_factory=list)

    def add(self, ranking: list[str], truth: set[str]) -> None:
        """Score one ranking against the people who are right."""
        rank = next((i for i, p in enumerate(ranking, 1) if p in truth), None)
        self.reciprocal_ranks.append(1.0 / rank if rank else 0.0)

    def mrr(self) -> float:
        """Mean reciprocal rank."""
        rr = self.reciprocal_ranks
        return sum(rr) / len(rr) if rr else 0.0

    def hit(self, k: int) -> float:
        """Share of rankings with a right person in the first `k`."""
        rr = self.reciprocal_ranks
        return sum(1 for r in rr if r >= 1.0 / k) / len(rr) if rr else 0.0


def order(scores: Mapping[str, float], asker: str) -> list[str]:
    """Candidates best first (ties by id), the asker left out."""
    return sorted((p for p in scores if p != asker), key=lambda p: (-scores[p], p))


def questions_to_test(dump: Dump, test_share: float, end: float = 1.0) -> set[str]:
    """Ids of the `test_share` of questions by date up to `end` (1: the last), others answered.

    `end` below 1 makes a validation slice (e.g. 0.2 ending at 0.7), to choose
    a method without looking at the test questions.
    """
    questions = sorted(dump.questions.values(), key=lambda q: (q.at, q.id))
    # Rounded first: 0.7 - 0.2 is 0.4999… in floating point, which would start the
    # slice one question early whenever the count is even.
    start = int(len(questions) * round(end - test_share, 9))
    stop = len(questions) if end >= 1 else int(len(questions) * round(end, 9))
    return {q.id for q in questions[start:stop] if q.answerers}


def questions_to_replay(dump: Dump, tested: set[str]) -> int:
    """How many questions a replay goes through: every one up to the last tested."""
    count, remaining = 0, len(tested)
    for event in dump.events:
        if not remaining:
            break
        if isinstance(event, Question):
            count += 1
            remaining -= event.id in tested
    return count


def replay(
    dump: Dump,
    systems: Mapping[str, Callable],
    test_share: float = 0.3,
    timed: str = "kollega",
    progress: Callable[[int], None] | None = None,
    end: float = 1.0,
    batch: int = 3,
    cap: int = 3,
) -> dict:
    """Run every system on every test question; the result has the shape of `--json`.

    `progress` is told of every question gone through (`questions_to_replay` in
    all), tested or not: the history before the first tested one takes a while
    on a big site too. The `timed` system's rankings are also sent on as routing
    that acts would (`load.Load`: the first `batch`, without and with a daily `cap`).
    """
    tested = questions_to_test(dump, test_share, end)
    remaining = len(tested)
    history = History(dump)
    tallies = {name: {truth: Tally() for truth in TRUTHS} for name in systems}
    latencies: list[float] = []
    loads = {"uncapped": Load(batch), "capped": Load(batch, cap)}
    for system in systems.values():
        if hasattr(system, "start"):  # a learning system forgets any earlier replay
            system.start()
    for event in dump.events:
        if isinstance(event, Question):
            if progress:
                progress(1)
            # Every question, tested or not, is shown to learning systems before it is
            # applied: what they keep is the past, and its answers come later, as events.
            for system in systems.values():
                if hasattr(system, "observe"):
                    system.observe(history, event)
        if isinstance(event, Question) and event.id in tested:
            for name, system in systems.items():
                started = time.perf_counter()
                ranking = order(system(history, event), event.asker)
                if name == timed:
                    latencies.append((time.perf_counter() - started) * 1000)
                    for load in loads.values():
                        load.send(ranking, event.at.date(), event.answerers)
                tallies[name]["any"].add(ranking, event.answerers)
                if event.accepted_answerer:
                    tallies[name]["accepted"].add(ranking, {event.accepted_answerer})
            remaining -= 1
            if not remaining:  # nothing after the last tested question matters
                break
        history.apply(event)
    return {
        "questions": len(tested),
        "systems": {name: _figures(t) for name, t in tallies.items()},
        "latency_ms": _percentiles(latencies),
        "load": {"batch": batch, "cap": cap}
        | {name: load.figures() for name, load in loads.items()},
    }


def _figures(tallies: dict[str, Tally]) -> dict[str, float]:
    figures = {}
    for truth, tally in tallies.items():
        suffix = "any" if truth == "any" else "accepted"
        figures[f"mrr_{suffix}"] = round(tally.mrr(), 4)
        for k in CUTOFFS:
            figures[f"hit{k}_{suffix}"] = round(tally.hit(k), 4)
    return figures


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p99": 0.0}
    ordered = sorted(values)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

    return {"p50": at(0.5), "p99": at(0.99)}
