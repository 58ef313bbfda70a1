"""Who routing that acts would send questions to, and how unevenly: the product's
auto-send (`qa/services/autorouting.py`) replayed on a dump's rankings.

Each test question is sent to the first `batch` people of Kollega's ranking; with a
`cap`, people already sent `cap` routed questions that day (the question's date,
UTC) are skipped for the next in the ranking, as the product does with
`KOLLEGA_ROUTING_DAILY_CAP`. Escalations are not replayed: a dump does not say who
would have answered a question they were never sent.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Load:
    """Routed sends of one policy: how many each person got, the most anyone got in a
    day, and how often someone who answered was among those sent to."""

    batch: int = 3
    cap: int | None = None
    sent: Counter = field(default_factory=Counter)
    reached: int = 0
    questions: int = 0
    most_in_a_day: int = 0
    _day: date | None = None
    _today: Counter = field(default_factory=Counter)

    def send(self, ranking: list[str], day: date, answerers: set[str]) -> list[str]:
        """Send one question to the first `batch` of `ranking` under the cap; who got it."""
        if day != self._day:
            self._day, self._today = day, Counter()
        chosen = [p for p in ranking if self.cap is None or self._today[p] < self.cap]
        chosen = chosen[: self.batch]
        for person in chosen:
            self.sent[person] += 1
            self._today[person] += 1
            self.most_in_a_day = max(self.most_in_a_day, self._today[person])
        self.questions += 1
        self.reached += bool(answerers & set(chosen))
        return chosen

    def top_share(self, people: int = 2) -> float:
        """The share of all routed sends that went to the `people` most sent to."""
        total = sum(self.sent.values())
        return sum(n for _p, n in self.sent.most_common(people)) / total if total else 0.0

    def figures(self) -> dict:
        return {
            "top2_share": round(self.top_share(2), 4),
            "reached_answerer": round(self.reached / self.questions, 4) if self.questions else 0.0,
            "most_in_a_day": self.most_in_a_day,
        }
