"""Words in, index terms out: one analysis for both engines and all three languages.

Every word is lower-cased and reduced to its *forms*: the word itself, its
accent-folded spelling (`bjørn` → `bjorn`, `öl` → `ol`) and its Swedish,
Norwegian and English Snowball stems. A document is indexed under the forms of
its words; a query word matches a document holding any of its forms. So
`bloggar` finds `blogg` and `bloggen` (all three stem to `blogg`) with no
language detection, and the same terms go to SQLite FTS5 and PostgreSQL's
`simple` configuration, so both engines see identical tokens.

Query text from a person is never handed to an engine: `parse_query` keeps
only word characters, and the engine modules build their match expressions
from these tokens (each quoted), so FTS syntax (`"`, `*`, `NEAR`, `:`, `^`,
`(`) in a query is just punctuation.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer
from django.utils.html import escape
from django.utils.html import strip_tags as _strip_tags

from kollega.limits import (
    SEARCH_INDEXED_MAX_CHARS,
    SEARCH_QUERY_MAX_CHARS,
    SEARCH_QUERY_MAX_TERMS,
    SEARCH_TERM_MAX_CHARS,
)

WORD = re.compile(r"\w+", re.UNICODE)

_STEMMERS = tuple(snowballstemmer.stemmer(lang) for lang in ("swedish", "norwegian", "english"))
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ł": "l", "ß": "ss", "þ": "th"})

# Words too common to say anything, in the three languages (short lists on purpose:
# a query made only of them still searches for them, see `parse_query`).
STOPWORDS = frozenset(
    """
    a an and are as at be but by can do does for from has have how i if in into is it its
    of on or so that the their then there these this to was what when where which who why
    will with you your my me we our not no
    och att det som en ett är på för med av till den har de inte om ett men var jag vad
    hur kan ska eller så vi du han hon från vid när
    og i er på for med av til den har de ikke om et men var jeg hva hvordan kan skal
    eller så vi du han hun fra ved når
    """.split()  # noqa: SIM905 (one line per language reads better than a literal)
)


def folded(word: str) -> str:
    """`word` without accents: what someone without å, ä, ö or ø on their keyboard types."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=200_000)
def forms_of(word: str) -> tuple[str, ...]:
    """The index forms of one lower-cased word: itself, folded, and its three stems."""
    word = word[:SEARCH_TERM_MAX_CHARS]
    forms = {word, folded(word)}
    for stemmer in _STEMMERS:
        forms.add(stemmer.stemWord(word))
    return tuple(sorted(f for f in forms if f))


def words(text: str) -> list[str]:
    """The lower-cased words of `text`."""
    return WORD.findall(text.lower())


def index_terms(text: str) -> str:
    """The distinct forms of every word of `text`, space-separated, for the engines."""
    seen: dict[str, None] = {}
    for word in words(text[:SEARCH_INDEXED_MAX_CHARS]):
        for form in forms_of(word):
            seen[form] = None
    return " ".join(seen)


def plain_text(html_or_markdown: str) -> str:
    """Text without tags, on one line: what a snippet is cut from."""
    text = html_or_markdown or ""
    if "<" in text:  # strip_tags parses HTML: slow, so only when there may be some
        text = _strip_tags(text)
    return " ".join(text.split())


@dataclass
class ParsedQuery:
    """What a person asked for, as words (each with its forms) the engines can match."""

    text: str
    words: list[str] = field(default_factory=list)
    # Only the first SEARCH_QUERY_MAX_CHARS characters or SEARCH_QUERY_MAX_TERMS words were kept.
    truncated: bool = False

    @property
    def terms(self) -> list[tuple[str, ...]]:
        """Each word's forms (any of them matches)."""
        return [forms_of(word) for word in self.words]

    @property
    def typed_last(self) -> tuple[str, ...]:
        """The last word as typed and folded, for matching the start of a name."""
        last = self.words[-1][:SEARCH_TERM_MAX_CHARS]
        return tuple(sorted({last, folded(last)}))

    @property
    def is_empty(self) -> bool:
        return not self.words

    @property
    def all_forms(self) -> set[str]:
        return {form for term in self.terms for form in term}


def parse_query(text: str, keep_stopwords: bool = False) -> ParsedQuery:
    """Words of a query (stop words dropped unless that leaves nothing), with their forms.

    Anything but word characters is ignored, so quotes, operators and FTS syntax
    cannot change what the engine is asked; only the first SEARCH_QUERY_MAX_TERMS
    distinct words count.
    """
    text = text or ""
    cut = len(text) > SEARCH_QUERY_MAX_CHARS
    text = text[:SEARCH_QUERY_MAX_CHARS]
    found = list(dict.fromkeys(words(text)))
    meaningful = found if keep_stopwords else [w for w in found if w not in STOPWORDS] or found
    return ParsedQuery(
        text=" ".join(text.split()),
        words=meaningful[:SEARCH_QUERY_MAX_TERMS],
        truncated=cut or len(meaningful) > SEARCH_QUERY_MAX_TERMS,
    )


def normalised(text: str) -> str:
    """Lower-cased words only: for comparing a title with the query."""
    return " ".join(words(text))


def highlight(text: str, query: ParsedQuery, width: int = 0) -> str:
    """`text` HTML-escaped, the words matching `query` in <mark>.

    With `width`, a window of about that many characters around the first
    match, with … where text was cut. Escaping comes first, piece by piece, so
    nothing in `text` can become markup.
    """
    wanted = query.all_forms
    spans = [m.span() for m in WORD.finditer(text) if wanted & set(forms_of(m.group().lower()))]
    start, end, prefix, suffix = 0, len(text), "", ""
    if width and len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, first - width // 4)
        end = min(len(text), start + width)
        # Cut at word boundaries.
        if start > 0:
            start = text.find(" ", start) + 1 or start
            prefix = "… "
        if end < len(text):
            end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
            suffix = " …"
    pieces, cursor = [prefix], start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(escape(text[cursor:s]))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(escape(text[cursor:end]))
    pieces.append(suffix)
    return "".join(pieces)
