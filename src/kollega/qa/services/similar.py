"""Similar questions, shown while a question is being asked.

"Has this been answered already?" — before the asker sends the question off,
the ask page shows the closest questions they may see. How they are found,
from the search index and its analysis (words in Swedish, Norwegian and
English forms, `search.text`):

1. Candidates: the questions whose *title* holds at least one word of the
   typed title (any of its forms), that the asker may see
   (`permissions.posts`, the rule search applies to questions), not the asker's own — the
   newest `CANDIDATES` of them.
2. Each is scored by how much it says the same thing (`score`): BM25 of
   the typed words over the candidates, a title word weighing five times a
   word in the text (`search.relevance`), relative to the best; the share of
   the typed words found in its title (word overlap); and the share of the
   tags the typed title names (every part of the tag's name is a word of it,
   as expertise reads a query) that the candidate carries (tag overlap).
3. The best `limit` are shown, accepted ones first, each with its answer count.

`bench/similar.py` measures it against plain search on the Stack Exchange
dump's duplicate questions (recall@5; figures in docs/performance.md).
"""

from django.db.models.functions import Length, Substr

from kollega.expertise.evidence import matching_tags, visible_posts
from kollega.people.models import Person
from kollega.qa.models import Question, QuestionStatus
from kollega.search import relevance
from kollega.search.indexing import engine
from kollega.search.models import SearchDocument
from kollega.search.text import parse_query

SHOWN = 5
CANDIDATES = 500
MIN_TITLE_CHARS = 8  # fewer typed characters say too little to look for
BODY_READ = 600  # of a candidate's text terms, the opening is scored (the title decides most)

# A candidate's score is the sum of these parts.
WEIGHTS = {
    "text": 10.0,  # × BM25 relative to the best candidate (0–1)
    "title_words": 6.0,  # × share of the typed words in its title
    "tags": 3.0,  # × share of the tags the typed title names that it carries
}


def score(share_of_best: float, title_words: float, tags: float) -> float:
    """One candidate's score: its parts weighted by WEIGHTS, summed."""
    return (
        WEIGHTS["text"] * share_of_best
        + WEIGHTS["title_words"] * title_words
        + WEIGHTS["tags"] * tags
    )


def _candidates(person: Person, query) -> list[tuple]:
    backend = engine()
    documents = (
        # A question's document is visible as its post is (`permissions.posts`, the rule
        # search applies to questions), compiled once per process as expertise reads it.
        SearchDocument.objects.filter(kind="question")
        .filter(visible_posts(person, "post__"))
        .exclude(author=person)
        .extra(**backend.match_sql(backend.title_any_expression(query)))
        .order_by("-id")
    )
    documents = documents.annotate(
        body_opening=Substr("body_terms", 1, BODY_READ), body_length=Length("body_terms")
    )
    columns = ("pk", "object_id", "title_terms", "body_opening", "body_length")
    return list(documents.values_list(*columns)[:CANDIDATES])


def ranked_similar(person: Person, title: str, limit: int = SHOWN) -> list[Question]:
    """The `limit` questions most like `title` that `person` may see (not their own), best
    first; empty when the title says too little."""
    query = parse_query(title or "")
    if query.is_empty or len((title or "").strip()) < MIN_TITLE_CHARS:
        return []
    rows = _candidates(person, query)
    if not rows:
        return []
    terms = query.terms
    bm25 = relevance.bm25(
        [relevance.MatchedTerms(t, b, len(t) + n) for _pk, _id, t, b, n in rows],
        terms,
    )
    best = max(bm25) or 1.0
    named = set(matching_tags(title))
    tags_of: dict[int, set[int]] = {}
    if named:
        links = SearchDocument.tags.through.objects.filter(
            searchdocument_id__in=[r[0] for r in rows], tag_id__in=named
        )
        for document_id, tag_id in links.values_list("searchdocument_id", "tag_id"):
            tags_of.setdefault(document_id, set()).add(tag_id)
    scored = []
    for (pk, object_id, title_terms, _body, _n), text in zip(rows, bm25, strict=True):
        held = set(title_terms.split())
        in_title = sum(1 for forms in terms if not held.isdisjoint(forms)) / len(terms)
        tag_share = len(tags_of.get(pk, ())) / len(named) if named else 0.0
        scored.append((score(max(text, 0.0) / best, in_title, tag_share), object_id))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    top = scored[:limit]
    questions = (
        Question.objects.filter(pk__in=[object_id for _s, object_id in top])
        .only("pk", "title", "status", "answer_count")
        .in_bulk()
    )
    return [questions[object_id] for _s, object_id in top if object_id in questions]


def similar_questions(person: Person, title: str, limit: int = SHOWN) -> list[Question]:
    """What the ask page shows while `title` is typed: the closest `limit` questions
    `person` may see (never their own), accepted ones first, then the rest, each in
    order of closeness."""
    found = ranked_similar(person, title, limit)
    return sorted(found, key=lambda q: q.status != QuestionStatus.ACCEPTED)
