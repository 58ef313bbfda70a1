"""Words to stems, the same way for every piece of evidence and every query.

People write in English, Swedish and Norwegian Bokmål, often mixed, and a
short query says too little to detect its language. So a word is reduced with
all three Snowball stemmers and counts under each distinct stem: "bloggar",
"bloggen" and "blogg" meet, and an English word is rarely hurt by also having
a Swedish stem. Very common words of the three languages are dropped.
"""

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
MAX_WORD = 40

_STOPWORDS = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours
    att och det som en på är av för med har till den jag inte om ett var men de så kan
    man vi ni han hon dem sig sin sitt sina eller när från hur vad vara blir bli vid ska
    og i er til at av med som for på de ikke den et har jeg vi men om så kan var du hva
    hvor når fra eller skal blir være ble
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_STEMMERS = tuple(snowballstemmer.stemmer(name) for name in ("english", "swedish", "norwegian"))


@lru_cache(maxsize=200_000)
def stems_of_word(word: str) -> tuple[str, ...]:
    """The distinct stems of one lower-case word in the three languages."""
    return tuple(dict.fromkeys(stemmer.stemWord(word) for stemmer in _STEMMERS))


def words(text: str) -> list[str]:
    """The lower-case words of `text` worth indexing (no stop words, no giant tokens)."""
    return [
        w
        for w in (m.group().lower() for m in WORD.finditer(text))
        if w not in STOPWORDS and len(w) <= MAX_WORD
    ]


def stems(text: str) -> list[str]:
    """Every stem of every word of `text`, with repeats (for term frequencies)."""
    return [stem for word in words(text) for stem in stems_of_word(word)]
