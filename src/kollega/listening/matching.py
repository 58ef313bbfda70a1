"""Watch terms matched against items, with the analysis search uses (`kollega.search.text`).

A term is words and quoted phrases that must all appear, and `-word` or
`-"a phrase"` that must not: `saab -gripen`, `"volvo cars" -trucks`. A term's
word matches an item's word when they share a form: the word itself, its
accent-folded spelling or one of its Swedish, Norwegian and English stems, so
`Kollegas` matches `kollega` and `Bjorn` matches `Bjørn`. A phrase matches its
words next to each other, in order.

`Matcher` is built once for many items: an index from each term's first word's
forms to the term, so an item is only checked against the terms it may match.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from kollega.limits import LISTENING_MATCHED_MAX_CHARS
from kollega.search.text import forms_of, words

WORDS_CACHED = 500_000  # distinct words whose relevant forms a matcher remembers
TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


@dataclass(frozen=True)
class ParsedTerm:
    key: str  # what `matched_terms` says: the term's phrase as written
    required: tuple[tuple[str, ...], ...]  # words and phrases, each a tuple of words
    excluded: tuple[tuple[str, ...], ...]


def parse_term(phrase: str) -> ParsedTerm:
    """A term's phrase as required and excluded word sequences."""
    required, excluded = [], []
    for match in TOKEN.finditer(phrase):
        negative = bool(match.group(1) or match.group(3))
        sequence = tuple(words(match.group(2) if match.group(2) is not None else match.group(4)))
        if sequence:
            (excluded if negative else required).append(sequence)
    return ParsedTerm(key=phrase, required=tuple(required), excluded=tuple(excluded))


class _Text:
    """An item's words, with where each form that some term holds occurs."""

    def __init__(self, text: str, relevant_forms):
        positions: dict[str, list[int]] = {}
        for position, word in enumerate(words(text[:LISTENING_MATCHED_MAX_CHARS])):
            for form in relevant_forms(word):
                if form in positions:
                    positions[form].append(position)
                else:
                    positions[form] = [position]
        self.positions = positions

    def starts(self, word: str) -> set[int]:
        found: set[int] = set()
        for form in forms_of(word):
            found.update(self.positions.get(form, ()))
        return found

    def has(self, sequence: tuple[str, ...]) -> bool:
        starts = self.starts(sequence[0])
        for offset, word in enumerate(sequence[1:], start=1):
            if not starts:
                return False
            at = self.starts(word)
            starts = {s for s in starts if s + offset in at}
        return bool(starts)


class Matcher:
    """Many terms, matched against many texts."""

    def __init__(self, phrases):
        self.terms = [t for t in map(parse_term, phrases) if t.required]
        self.index: dict[str, list[tuple[int, ParsedTerm]]] = defaultdict(list)
        self.relevant: set[str] = set()  # every form of every word of every term
        for order, term in enumerate(self.terms):
            for form in forms_of(term.required[0][0]):
                self.index[form].append((order, term))
            for sequence in term.required + term.excluded:
                for word in sequence:
                    self.relevant.update(forms_of(word))
        self._forms: dict[str, tuple[str, ...]] = {}

    def _relevant_forms(self, word: str) -> tuple[str, ...]:
        """The forms of an item's word that some term holds (mostly none), remembered."""
        forms = self._forms.get(word)
        if forms is None:
            if len(self._forms) > WORDS_CACHED:
                self._forms.clear()
            forms = self._forms[word] = tuple(f for f in forms_of(word) if f in self.relevant)
        return forms

    def matches(self, text: str) -> list[str]:
        """The keys of the terms `text` matches, in the order the terms were given."""
        if not self.terms or not text:
            return []
        found = _Text(text, self._relevant_forms)
        index = self.index
        candidates: dict[int, ParsedTerm] = {}
        for form in found.positions.keys() & index.keys():
            candidates.update(index[form])
        return [
            term.key
            for _order, term in sorted(candidates.items(), key=lambda pair: pair[0])
            if all(found.has(s) for s in term.required)
            and not any(found.has(s) for s in term.excluded)
        ]
