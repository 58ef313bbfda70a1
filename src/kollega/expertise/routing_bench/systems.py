"""The systems compared: Kollega's ranking and three baselines.

Each takes the history so far and a question, and returns a score per
candidate (higher is better). The replay removes the asker and orders.
"""

from collections import Counter

from kollega.expertise import ranking
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


def kollega(history: History, question: Question) -> dict[str, float]:
    """Kollega's own ranking (`kollega.expertise.ranking`), on the evidence so far."""
    df, people = history.idf_people()
    topic = ranking.Topic.from_text(f"{question.title} {question.text}", question.tags, df, people)
    activity = {
        person: ranking.activity_from_evidence(items, question.at)
        for person, items in history.evidence.items()
    }
    ranked = ranking.rank(history.evidence, activity, topic, question.at, limit=None)
    return {r.person: r.score for r in ranked}


SYSTEMS = {"kollega": kollega, "most_active": most_active, "tag_count": tag_count, "bm25": bm25}
