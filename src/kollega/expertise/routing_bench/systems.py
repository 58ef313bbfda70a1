"""The systems compared: Kollega's ranking and three baselines.

Each takes the history so far and a question, and returns a score per
candidate (higher is better). The replay removes the asker and orders.
Kollega's also learns its routing weights as the replay goes (`Kollega.observe`).
"""

from collections import Counter, defaultdict, deque
from collections.abc import Mapping

from kollega.expertise import ranking
from kollega.expertise.routing_bench import learned
from kollega.expertise.routing_bench.dump import Question
from kollega.expertise.routing_bench.history import History


def most_active(history: History, question: Question) -> dict[str, float]:
    """The people who answered most so far."""
    return dict(history.answer_count)


def tag_count(history: History, question: Question) -> dict[str, float]:
    """Past answers on the question's tags."""
    scores: Counter = Counter()
    for tag in question.tags:
        scores.update(history.answers_on_tag.get(tag, {}))
    return dict(scores)


def bm25(history: History, question: Question) -> dict[str, float]:
    """BM25 of the question against each person's past answers (a candidate-profile model)."""
    return history.bm25(f"{question.title} {question.text}")


def _topic(history: History, question: Question) -> ranking.Topic:
    df, people = history.idf_people()
    return ranking.Topic.from_text(f"{question.title} {question.text}", question.tags, df, people)


def hand_made(history: History, question: Question) -> dict[str, float]:
    """Kollega's routing as the product runs it (`ranking.score`): activity, presence, topic.

    Presence counts from when each person was last seen; in a dump that is the
    newest thing they did before the question (the product also has their
    requests and sign-ins, `kollega.people.presence`).

    The sums come from `history.sums`, kept as the replay goes, rather than
    from each person's pieces of evidence as `ranking.rank` reads them: the
    same scores (a test compares them on the real dump; rounded to 9 decimals,
    so that sums added in another order do not split a tie by their last bits) at a cost
    that grows with the people who share the question's terms, not with
    everything everyone ever wrote.
    """
    sums = history.sums
    topic = _topic(history, question)
    topical: dict[str, float] = defaultdict(float)
    share = 1.0 / len(topic.tags) if topic.tags else 0.0
    for tag in topic.tags:
        for person, value in sums.by_tag.get(tag, {}).items():
            topical[person] += share * value
    for word, weight in topic.words.items():
        share = ranking.TEXT_SHARE * weight
        for person, value in sums.by_word.get(word, {}).items():
            topical[person] += share * value
    activity_decay, topical_decay = sums.decays(question.at)
    today = sums.days(question.at)
    scores = {}
    for person, value in topical.items():
        here = ranking.presence(today - sums.latest[person])
        value = ranking.score(
            sums.activity[person] * activity_decay, (value * topical_decay,), presence=here
        )
        scores[person] = round(value, 9)
    return scores


class _Profiles(Mapping):
    """Profiles made on demand: `rank` asks only for people with topical evidence."""

    def __init__(self, evidence: Mapping[str, list[ranking.Evidence]], now):
        self.evidence, self.now = evidence, now

    def __getitem__(self, person: str) -> learned.ActivityProfile:
        return learned.profile_of(self.evidence[person], self.now)

    def __iter__(self):
        return iter(self.evidence)

    def __len__(self) -> int:
        return len(self.evidence)


class LearnedRouting:
    """An experiment, not yet what the product runs: routing by `learned.ROUTING_WEIGHTS`,
    its two weights learned online from the site's answered questions.

    Before every question (`observe`), it keeps the features of everyone
    who could have answered it (topical evidence, not the asker); every
    `refit_every` questions it refits `learned.ROUTING_LEARNED` on the last
    `window` questions, with the answerers the history knows by then as
    labels, from `learned.ROUTING_WEIGHTS` as prior: what a background task
    would do with the organisation's own history. Ranking (`__call__`, the
    timed part) is `learned.rank_learned` with profiles and the current weights.
    """

    def __init__(
        self,
        refit_every: int = 50,
        window: int = 300,
        keep: int = 40,
        prior: learned.Weights = learned.ROUTING_WEIGHTS,
        learn: tuple[str, ...] = learned.ROUTING_LEARNED,
    ):
        self.refit_every = refit_every
        self.window = window
        self.keep = keep  # strongest others per example, plus as many at random
        self.prior = prior
        self.learn = learn
        self.start()

    def start(self) -> None:
        """Forget everything learned: a new replay begins."""
        self.weights = self.prior
        self.fits = 0
        self._past: deque[tuple[str, dict[str, list[float]]]] = deque(maxlen=self.window)
        self._unfitted = 0

    def observe(self, history: History, question: Question) -> None:
        """Remember who could answer `question` and how they looked; refit when due."""
        self._unfitted += 1
        if self._unfitted >= self.refit_every:
            self._refit(history)
        topic = _topic(history, question)
        rows = {}
        for person, items in history.evidence.items():
            if person == question.asker:
                continue
            found = ranking.topical(items, topic, question.at)
            if found:
                profile = learned.profile_of(items, question.at)
                rows[person] = learned.features(profile, sum(c for c, _ in found))
        self._past.append((question.id, rows))

    def labels(self, history: History) -> list[tuple[str, str]]:
        """(question, answerer) pairs the learning may use now: answers the history holds."""
        return [
            (qid, person)
            for qid, rows in self._past
            for person in sorted(history.answerers.get(qid, set()) & rows.keys())
        ]

    def examples(self, history: History) -> list[learned.Example]:
        """Training data now: each known answerer of a kept question against the others."""
        rows_of = dict(self._past)
        found = []
        for qid, person in self.labels(history):
            rows = rows_of[qid]
            answerers = history.answerers[qid]
            others = [x for p, x in sorted(rows.items()) if p not in answerers]
            sample = learned.sample_others(others, self.keep, seed=f"{qid}/{person}")
            found.append(learned.Example(rows[person], sample))
        return found

    def _refit(self, history: History) -> None:
        self.weights = learned.fit_weights(
            self.examples(history), start=self.weights, prior=self.prior, learn=self.learn
        )
        self.fits += 1
        self._unfitted = 0

    def __call__(self, history: History, question: Question) -> dict[str, float]:
        """Scores of everyone with topical evidence, as the product ranks them."""
        profiles = _Profiles(history.evidence, question.at)
        ranked = learned.rank_learned(
            history.evidence, profiles, _topic(history, question), question.at, self.weights, None
        )
        return {r.person: r.score for r in ranked}


SYSTEMS = {
    "kollega": hand_made,
    "most_active": most_active,
    "tag_count": tag_count,
    "bm25": bm25,
}
# Printed with `--experiments` only: the learner looks at everyone's evidence before
# every question of the dump, tested or not, which on a site of tens of thousands of
# questions would take hours where the systems above take minutes.
EXPERIMENTS = {"learned_routing": LearnedRouting()}
