"""Text relevance of the candidates, computed here, the same way on both engines.

The engines only find the matches (FTS5 `MATCH`, tsvector `@@`), newest first,
at most CANDIDATES of them; how well each matches is scored here, with BM25 over
those candidates. Why not the engines' own `bm25()` / `ts_rank_cd`: FTS5's
`bm25()` counts, for every query word form, the documents holding it in the
whole index, a walk over millions of entries for a common word like *beer* that
made up most of a search's time; and one formula on both engines ranks alike.

The index keeps each form once per document (`text.index_terms`), so a word
either is in the title, in the text, in both or in neither: a word in the title
weighs TITLE_WEIGHT times one in the text. A word found in fewer of the
candidates weighs more (inverse document frequency among the candidates), and a
short document holding the words beats a long one (BM25's length norm).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

TITLE_WEIGHT = 5.0
K1 = 1.2
B = 0.75
# Of a long document's terms, the opening is read for scoring (it is what people
# search for, and it keeps the read bounded); its full length still counts.
BODY_TERMS_READ = 8000


@dataclass(frozen=True)
class MatchedTerms:
    """What scoring needs of one candidate: its title's and text's index terms."""

    title_terms: str
    body_opening: str
    length: int  # characters of title and text terms, for the length norm


def bm25(documents: Sequence[MatchedTerms], words: Sequence[tuple[str, ...]]) -> list[float]:
    """One relevance per document (higher is better) for a query of `words`.

    Each word is the tuple of its forms (`ParsedQuery.terms`): any form counts.
    """
    if not documents or not words:
        return [0.0] * len(documents)
    found = [_presence(document, words) for document in documents]
    n = len(documents)
    idf = []
    for i in range(len(words)):
        df = sum(1 for row in found if row[i])
        idf.append(math.log(1 + (n - df + 0.5) / (df + 0.5)))
    average = sum(d.length for d in documents) / n or 1.0
    scores = []
    for document, row in zip(documents, found, strict=True):
        norm = K1 * (1 - B + B * document.length / average)
        scores.append(
            sum(w * x * (K1 + 1) / (x + norm) for w, x in zip(idf, row, strict=True) if x)
        )
    return scores


def _presence(document: MatchedTerms, words: Sequence[tuple[str, ...]]) -> list[float]:
    title = set(document.title_terms.split())
    body = set(document.body_opening.split())
    return [
        TITLE_WEIGHT * (not title.isdisjoint(forms)) + (not body.isdisjoint(forms))
        for forms in words
    ]
