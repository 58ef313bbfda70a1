"""Words to stems for expertise: the search index's analysis, so both agree on a word.

A word counts under all its forms (itself, without accents, and its English,
Swedish and Norwegian stems; see `kollega.search.text.forms_of`): "bloggar",
"bloggen" and "blogg" meet without knowing which language a short query is in.
Very common words of the three languages are dropped.
"""

from kollega.limits import SEARCH_TERM_MAX_CHARS
from kollega.search.text import STOPWORDS, forms_of
from kollega.search.text import words as all_words


def stems_of_word(word: str) -> tuple[str, ...]:
    """The forms one lower-case word is known by."""
    return forms_of(word)


def words(text: str) -> list[str]:
    """The lower-case words of `text` worth counting (no stop words, no giant tokens)."""
    return [w for w in all_words(text) if w not in STOPWORDS and len(w) <= SEARCH_TERM_MAX_CHARS]


def stems(text: str) -> list[str]:
    """Every form of every word of `text`, with repeats (for term frequencies)."""
    return [form for word in words(text) for form in forms_of(word)]
