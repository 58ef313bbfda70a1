"""What existed before a moment: the replay's memory of a Stack Exchange site.

Events are applied strictly in time order; a system asked to rank for a
question sees only what was applied before that question. Votes change the
weight of the answer they are on when they happen (accepted answers become
`ACCEPTED_ANSWER` only when accepted).
"""

import math
from collections import Counter, defaultdict

from kollega.expertise.ranking import Evidence, Kind, weight_of
from kollega.expertise.routing_bench.dump import VOTE_UP, Answer, Comment, Dump, Question, Vote
from kollega.expertise.text import stems


class History:
    """Everything people did before now, indexed for the systems that rank."""

    def __init__(self, dump: Dump):
        self.dump = dump
        self.evidence: dict[str, list[Evidence]] = defaultdict(list)
        self.answer_count: Counter = Counter()
        self.answers_on_tag: dict[str, Counter] = defaultdict(Counter)
        self.upvotes: Counter = Counter()
        self.accepted: set[str] = set()
        # Who has answered each question so far: the labels a learner may use now.
        self.answerers: dict[str, set[str]] = defaultdict(set)
        self._answer_evidence: dict[str, Evidence] = {}
        self._post_tags: dict[str, frozenset[str]] = {}
        # BM25 over each person's answers, and person-level word frequencies for idf.
        self.term_counts: dict[str, Counter] = defaultdict(Counter)
        self.length: Counter = Counter()
        self.document_frequency: Counter = Counter()
        self.people_with_word: dict[str, set[str]] = defaultdict(set)

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
            self.evidence[q.asker].append(
                Evidence(Kind.QUESTION, q.at, weight_of(Kind.QUESTION), tags, words, q.title)
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
        self.evidence[a.author].append(item)
        self._answer_evidence[a.id] = item
        self.answer_count[a.author] += 1
        if a.author != question.asker:
            self.answerers[question.id].add(a.author)
        for tag in question.tags:
            self.answers_on_tag[tag][a.author] += 1
        new_words = set(answer_words) - self.term_counts[a.author].keys()
        self.document_frequency.update(new_words)
        self.term_counts[a.author].update(answer_words)
        self.length[a.author] += len(answer_words)
        for word in set(answer_words):
            self.people_with_word[word].add(a.author)

    def _comment(self, c: Comment) -> None:
        if c.post in self._post_tags:
            self.evidence[c.author].append(
                Evidence(
                    Kind.COMMENT,
                    c.at,
                    weight_of(Kind.COMMENT),
                    self._post_tags[c.post],
                    frozenset(stems(c.text)),
                )
            )

    def _vote(self, v: Vote) -> None:
        if v.kind == VOTE_UP:
            self.upvotes[v.post] += 1
        else:
            self.accepted.add(v.post)
        item = self._answer_evidence.get(v.post)
        if item is not None:
            item.kind = Kind.ACCEPTED_ANSWER if v.post in self.accepted else Kind.ANSWER
            item.weight = weight_of(item.kind, helpful=self.upvotes[v.post])

    def idf_people(self) -> tuple[Counter, int]:
        """Person-level word frequencies and the number of people who answered."""
        return self.document_frequency, len(self.term_counts)

    def bm25(self, text: str, k1: float = 1.2, b: float = 0.75) -> dict[str, float]:
        """BM25 of `text` against each person's answers taken as one document."""
        people = len(self.term_counts)
        if not people:
            return {}
        average = sum(self.length.values()) / people
        scores: dict[str, float] = defaultdict(float)
        for word in set(stems(text)):
            df = self.document_frequency.get(word)
            if not df:
                continue
            idf = math.log(1 + (people - df + 0.5) / (df + 0.5))
            for person in self.people_with_word[word]:
                tf = self.term_counts[person][word]
                norm = k1 * (1 - b + b * self.length[person] / average)
                scores[person] += idf * tf * (k1 + 1) / (tf + norm)
        return scores
