"""What existed before a moment: the replay's memory of a Stack Exchange site.

Events are applied strictly in time order; a system asked to rank for a
question sees only what was applied before that question. Votes change the
weight of the answer they are on when they happen (accepted answers become
`ACCEPTED_ANSWER` only when accepted).

Kollega's sums are kept as running totals (`Sums`) as well as pieces of
evidence: ranking reads the question's terms rather than everyone's evidence,
so a replay grows with the site instead of with its square.
"""

import math
from collections import Counter, defaultdict
from datetime import datetime

from kollega.expertise.ranking import (
    ACTIVITY_DECAY_DAYS,
    DAY,
    TOPICAL_DECAY_DAYS,
    Evidence,
    Kind,
    weight_of,
)
from kollega.expertise.routing_bench.dump import VOTE_UP, Answer, Comment, Dump, Question, Vote
from kollega.expertise.text import stems


class Sums:
    """Each person's decayed evidence sums, kept up to date piece by piece.

    `ranking.activity_from_evidence` and `ranking.topical` decay every piece by
    exp(-age / scale). Since age = now - at, that is exp(-now / scale) ×
    exp(at / scale): the second factor is fixed when the piece is added, so the
    sums of weight × exp(at / scale) can be kept as the replay goes and decayed
    once per question (`decays`). Time counts in days from
    the dump's first event, which keeps the factors far from overflowing.
    Topical sums are kept per tag and per word stem, the terms a topic matches
    (`Evidence.relevance`).
    """

    def __init__(self, origin: datetime | None):
        self.origin = origin
        self.activity: Counter = Counter()
        self.latest: dict[str, float] = {}  # person -> day of their newest evidence
        self.by_tag: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.by_word: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def days(self, at: datetime) -> float:
        """Days from the dump's first event to `at`."""
        return (at - self.origin).total_seconds() / DAY

    def add(self, person: str, item: Evidence, weight: float) -> None:
        """Count `weight` more of `item` (a new piece, or the change in an old one's weight)."""
        days = self.days(item.at)
        self.activity[person] += weight * math.exp(days / ACTIVITY_DECAY_DAYS)
        topical = weight * math.exp(days / TOPICAL_DECAY_DAYS)
        for tag in item.tags:
            self.by_tag[tag][person] += topical
        for word in item.words:
            self.by_word[word][person] += topical
        self.latest[person] = max(days, self.latest.get(person, days))

    def decays(self, now: datetime) -> tuple[float, float]:
        """What turns the activity and the topical sums into their decayed values at `now`."""
        days = self.days(now)
        return math.exp(-days / ACTIVITY_DECAY_DAYS), math.exp(-days / TOPICAL_DECAY_DAYS)


class History:
    """Everything people did before now, indexed for the systems that rank."""

    def __init__(self, dump: Dump):
        self.dump = dump
        self.evidence: dict[str, list[Evidence]] = defaultdict(list)
        self.sums = Sums(dump.events[0].at if dump.events else None)
        self.answer_count: Counter = Counter()
        self.answers_on_tag: dict[str, Counter] = defaultdict(Counter)
        self.upvotes: Counter = Counter()
        self.accepted: set[str] = set()
        # Who has answered each question so far: the labels a learner may use now.
        self.answerers: dict[str, set[str]] = defaultdict(set)
        self._answer_evidence: dict[str, tuple[str, Evidence]] = {}
        self._post_tags: dict[str, frozenset[str]] = {}
        # BM25 over each person's answers, and person-level word frequencies for idf.
        # word -> person -> how often their answers use it
        self.term_counts: dict[str, Counter] = defaultdict(Counter)
        self.length: Counter = Counter()
        self.total_length = 0
        self.document_frequency: Counter = Counter()

    def apply(self, event) -> None:
        """Remember one event."""
        if isinstance(event, Question):
            self._question(event)
        elif isinstance(event, Answer):
            self._answer(event)
        elif isinstance(event, Comment):
            self._comment(event)
        elif isinstance(event, Vote):
            self._vote(event)

    def _question(self, q: Question) -> None:
        tags = frozenset(q.tags)
        self._post_tags[q.id] = tags
        if q.asker:
            words = frozenset(stems(f"{q.title} {q.text}"))
            self._add(
                q.asker,
                Evidence(Kind.QUESTION, q.at, weight_of(Kind.QUESTION), tags, words, q.title),
            )

    def _answer(self, a: Answer) -> None:
        question = self.dump.questions[a.question]
        self._post_tags[a.id] = self._post_tags.get(question.id, frozenset(question.tags))
        if not a.author:
            return
        answer_words = stems(a.text)
        item = Evidence(
            Kind.ANSWER,
            a.at,
            weight_of(Kind.ANSWER),
            self._post_tags[a.id],
            frozenset(answer_words) | frozenset(stems(question.title)),
            question.title,
        )
        self._add(a.author, item)
        self._answer_evidence[a.id] = (a.author, item)
        self.answer_count[a.author] += 1
        if a.author != question.asker:
            self.answerers[question.id].add(a.author)
        for tag in question.tags:
            self.answers_on_tag[tag][a.author] += 1
        for word, count in Counter(answer_words).items():
            users = self.term_counts[word]
            if a.author not in users:
                self.document_frequency[word] += 1
            users[a.author] += count
        self.length[a.author] += len(answer_words)
        self.total_length += len(answer_words)

    def _comment(self, c: Comment) -> None:
        if c.post in self._post_tags:
            self._add(
                c.author,
                Evidence(
                    Kind.COMMENT,
                    c.at,
                    weight_of(Kind.COMMENT),
                    self._post_tags[c.post],
                    frozenset(stems(c.text)),
                ),
            )

    def _vote(self, v: Vote) -> None:
        if v.kind == VOTE_UP:
            self.upvotes[v.post] += 1
        else:
            self.accepted.add(v.post)
        found = self._answer_evidence.get(v.post)
        if found is not None:
            person, item = found
            before = item.weight
            item.kind = Kind.ACCEPTED_ANSWER if v.post in self.accepted else Kind.ANSWER
            item.weight = weight_of(item.kind, helpful=self.upvotes[v.post])
            self.sums.add(person, item, item.weight - before)

    def _add(self, person: str, item: Evidence) -> None:
        self.evidence[person].append(item)
        self.sums.add(person, item, item.weight)

    def idf_people(self) -> tuple[Counter, int]:
        """Person-level word frequencies and the number of people who answered."""
        return self.document_frequency, len(self.length)

    def bm25(self, text: str, k1: float = 1.2, b: float = 0.75) -> dict[str, float]:
        """BM25 of `text` against each person's answers taken as one document."""
        people = len(self.length)
        if not people:
            return {}
        average = self.total_length / people
        scores: dict[str, float] = defaultdict(float)
        norms: dict[str, float] = {}  # made once per person and question
        for word in set(stems(text)):
            df = self.document_frequency.get(word)
            if not df:
                continue
            idf = math.log(1 + (people - df + 0.5) / (df + 0.5))
            for person, tf in self.term_counts[word].items():
                norm = norms.get(person)
                if norm is None:
                    norm = norms[person] = k1 * (1 - b + b * self.length[person] / average)
                scores[person] += idf * tf * (k1 + 1) / (tf + norm)
        return scores
