"""What the share guard looks for: pure functions over a text, no Django.

Each detector takes the text (already normalised by `normalise`, which keeps
every character's offset) and yields `Finding`s with character offsets into
the original text. False alarms are kept rare by checksums (Luhn, mod 11,
mod 97), valid dates, issuer ranges, word boundaries and by refusing numbers
that are part of a longer run of digits. Look-alike digits (fullwidth `４`,
Arabic-Indic, …) and dashes are folded to ASCII first, one character for one,
so offsets stay those of the original text. A number inside a URL is still
found: a card number in a query string leaks as much as one in a sentence.
"""

import re
import unicodedata
from calendar import isleap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

PERSONNUMMER = "personnummer"  # Swedish personnummer or samordningsnummer
FODSELSNUMMER = "fodselsnummer"  # Norwegian fødselsnummer or D-number
CARD = "card_number"
IBAN = "iban"
SECRET = "secret"
LABEL = "confidentiality_label"
STRICT_LABEL = "strict_confidentiality_label"
CODE_NAME = "code_name"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end}


_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"


class _Fold(dict):
    """A `str.translate` table that folds a look-alike to one ASCII character."""

    def __missing__(self, code: int):
        char = chr(code)
        folded = None
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            folded = str(digit)
        elif char in _DASHES:
            folded = "-"
        elif char.isspace():
            folded = " "
        else:
            nfkc = unicodedata.normalize("NFKC", char)
            if len(nfkc) == 1 and nfkc.isascii():
                folded = nfkc
        self[code] = folded if folded is not None else char
        return self[code]


_FOLD = _Fold()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def normalise(text: str) -> str:
    """The text with look-alike digits, dashes and letters folded to ASCII, same length."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: m.group().translate(_FOLD), text)


# --- Checksums and dates ---------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _date_ok(year: int | None, month: int, day: int) -> bool:
    """A real date; with `year` None (two-digit years), 29 February is allowed."""
    if not 1 <= month <= 12 or day < 1:
        return False
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if month == 2 and year is not None and not isleap(year):
        days = 28
    return day <= days


def mod11_ok(digits: str) -> bool:
    """The two check digits of a Norwegian fødselsnummer (11 digits)."""
    d = [ord(c) - 48 for c in digits]
    k1 = 11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10 or k1 != d[9]:
        return False
    k2 = 11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), d[:10], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    return k2 != 10 and k2 == d[10]


def iban_ok(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


# --- Identity numbers --------------------------------------------------------------

# A first digit not preceded by a letter, digit or digit-and-separator (the lookbehinds
# come after that digit so the engine scans for digits); not followed by the same.
_FIRST = r"[0-9](?<![0-9A-Za-z_][0-9])(?<![0-9][-+ ][0-9])"
_AFTER = r"(?![0-9A-Za-z_])(?![-+ ][0-9])"
_SWEDISH = re.compile(r"(" + _FIRST + r"(?:[0-9]{7}|[0-9]{5}))[-+ ]?([0-9]{4})" + _AFTER)
_NORWEGIAN = re.compile(r"(" + _FIRST + r"[0-9]{5}) ?([0-9]{5})" + _AFTER)


def swedish_ids(text: str) -> Iterator[Finding]:
    """Personnummer and samordningsnummer (day + 60): YYMMDD-NNNC or YYYYMMDD-NNNC."""
    for m in _SWEDISH.finditer(text):
        date, rest = m.groups()
        century = ""
        if len(date) == 8:
            century, date = date[:2], date[2:]
            if century not in ("18", "19", "20"):
                continue
        digits = date + rest
        if not luhn_ok(digits):
            continue
        year = int(century + date[:2]) if century else None
        month, day = int(date[2:4]), int(date[4:6])
        if day > 60:
            day -= 60
        if _date_ok(year, month, day):
            yield Finding(PERSONNUMMER, m.start(), m.end())


def norwegian_ids(text: str) -> Iterator[Finding]:
    """Fødselsnummer and D-numbers (day + 40): DDMMYY NNNKK with two mod-11 check digits."""
    for m in _NORWEGIAN.finditer(text):
        digits = m.group(1) + m.group(2)
        if not mod11_ok(digits):
            continue
        day, month = int(digits[:2]), int(digits[2:4])
        if day > 40:
            day -= 40
        if _date_ok(None, month, day):
            yield Finding(FODSELSNUMMER, m.start(), m.end())


# --- Payment cards and IBANs ------------------------------------------------------

_CARD = re.compile(
    r"[0-9](?<![0-9A-Za-z_][0-9])(?<![0-9][- ][0-9])(?:[- ]?[0-9]){12,18}"
    r"(?![0-9A-Za-z_])(?![- ][0-9])"
)


def _issuer_ok(n: str) -> bool:
    length = len(n)
    if n[0] == "4":  # Visa
        return length in (13, 16, 19)
    two, four = int(n[:2]), int(n[:4])
    if 51 <= two <= 55 or 2221 <= four <= 2720:  # Mastercard
        return length == 16
    if two in (34, 37):  # American Express
        return length == 15
    if four == 6011 or 644 <= int(n[:3]) <= 649 or two == 65:  # Discover
        return 16 <= length <= 19
    if 3528 <= four <= 3589:  # JCB
        return 16 <= length <= 19
    if two in (36, 38, 39) or 300 <= int(n[:3]) <= 305:  # Diners Club
        return 14 <= length <= 19
    if two == 62:  # UnionPay
        return 16 <= length <= 19
    return False


def card_numbers(text: str) -> Iterator[Finding]:
    """Payment card numbers: 13–19 digits, spaces or dashes between, Luhn and an issuer range."""
    for m in _CARD.finditer(text):
        digits = re.sub(r"[- ]", "", m.group())
        if _issuer_ok(digits) and luhn_ok(digits):
            yield Finding(CARD, m.start(), m.end())


IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GL": 18, "GR": 27, "HR": 21,
    "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24,
}  # fmt: skip
_IBAN_START = re.compile(r"([A-Z]{2})(?<![0-9A-Za-z_][A-Z]{2})([0-9]{2})(?=[ ]?[0-9A-Z])")


def ibans(text: str) -> Iterator[Finding]:
    """IBANs of the countries in `IBAN_LENGTHS`, with or without spaces, mod 97 = 1."""
    for m in _IBAN_START.finditer(text):
        length = IBAN_LENGTHS.get(m.group(1))
        if length is None:
            continue
        chars, i = [m.group(1), m.group(2)], m.end()
        count = 4
        while count < length and i < len(text):
            ch = text[i]
            if ch == " " and i + 1 < len(text) and text[i + 1] != " ":
                i += 1
                continue
            if not (ch.isascii() and ch.isalnum()):
                break
            chars.append(ch.upper())
            count += 1
            i += 1
        if count != length:
            continue
        if i < len(text) and text[i].isascii() and text[i].isalnum():
            continue  # part of a longer word
        if iban_ok("".join(chars)):
            yield Finding(IBAN, m.start(), i)


# --- Secrets ------------------------------------------------------------------------

_SECRET_PATTERNS = [
    re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])"),  # AWS access key id
    re.compile(r"gh[pousr]_[A-Za-z0-9]{36,255}"),  # GitHub token
    re.compile(r"github_pat_[A-Za-z0-9_]{22,255}"),  # GitHub fine-grained token
    re.compile(r"xox[bpoas]-[A-Za-z0-9-]{10,255}"),  # Slack token
    re.compile(r"AIza[0-9A-Za-z_\-]{35}"),  # Google API key
    re.compile(r"kol_[A-Za-z0-9_\-]{20,100}"),  # Kollega's own API token
    re.compile(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"
        r"(?:.{0,10000}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)?",
        re.DOTALL,
    ),
]
_ASSIGNMENT = re.compile(
    r"(?<![0-9A-Za-z])(?:password|passwd|passwort|pwd|secret|client_secret|api[_-]?key|"
    r"access[_-]?token|auth[_-]?token|lösenord|passord)"
    r"\s*[:=]\s*(\"[^\"\n]{1,200}\"|'[^'\n]{1,200}'|[^\s,;]{1,200})",
    re.IGNORECASE,
)
# Every keyword of `_ASSIGNMENT` contains one of these: a text without any skips the regex.
_ASSIGNMENT_STEMS = ("pass", "pwd", "secret", "api", "token", "lösen")
_PLACEHOLDER = re.compile(
    r"^(?:[*x.•<>{}\[\]$%_-]+|<[^>]*>|\{[^}]*\}|\$\{?\w+\}?|none|null|empty|"
    r"redacted|hidden|secret|password|changeme|example)$",
    re.IGNORECASE,
)


def secrets(text: str) -> Iterator[Finding]:
    """Access keys and tokens, private key blocks and `password=…` assignments with a real value."""
    for pattern in _SECRET_PATTERNS:
        for m in pattern.finditer(text):
            if m.start() == 0 or not text[m.start() - 1].isalnum():
                yield Finding(SECRET, m.start(), m.end())
    low = text.lower()
    if not any(stem in low for stem in _ASSIGNMENT_STEMS):
        return
    for m in _ASSIGNMENT.finditer(text):
        value = m.group(1).strip("\"'")
        if len(value) >= 4 and value[0] not in "<{[$%" and not _PLACEHOLDER.match(value):
            yield Finding(SECRET, m.start(), m.end())


# --- Labels and code names -------------------------------------------------------

_STRICT = ["strictly confidential", "strengt fortrolig", "strängt hemlig", "kvalificerat hemlig",
           "top secret", "kvalifisert hemmelig"]  # fmt: skip
_LABELS = ["confidential", "internal only", "internal use only", "do not share",
           "do not distribute", "konfidentiell", "konfidentiellt", "sekretess", "hemlig",
           "hemligt", "hemlighetsstämplad", "konfidensiell", "konfidensielt", "fortrolig",
           "unntatt offentlighet", "hemmelig"]  # fmt: skip


def _words(phrases: Iterable[str]) -> re.Pattern:
    alternatives = sorted(
        (re.escape(p).replace(r"\ ", r"\s+") for p in phrases), key=len, reverse=True
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


# Every label contains one of these stems: a text without any skips the regexes.
_LABEL_STEMS = ("confiden", "konfiden", "intern", "do not", "sekretess", "hemlig", "fortrolig",
                "unntatt", "hemmelig", "top secret")  # fmt: skip
_STRICT_RE = _words(_STRICT)
_LABEL_RE = _words(_LABELS)


def labels(text: str) -> Iterator[Finding]:
    """Confidentiality labels in English, Swedish and Norwegian, as whole words."""
    low = text.lower()
    if not any(stem in low for stem in _LABEL_STEMS):
        return
    strict = []
    for m in _STRICT_RE.finditer(text):
        strict.append((m.start(), m.end()))
        yield Finding(STRICT_LABEL, m.start(), m.end())
    for m in _LABEL_RE.finditer(text):
        if not any(s <= m.start() < e for s, e in strict):
            yield Finding(LABEL, m.start(), m.end())


_CODE_NAME_CACHE: dict[tuple[str, ...], re.Pattern | None] = {}


def code_names(text: str, names: Iterable[str]) -> Iterator[Finding]:
    """The administrator's code names (project names not yet public), as whole words."""
    key = tuple(sorted({n.strip() for n in names if n.strip()}))
    if key not in _CODE_NAME_CACHE:
        _CODE_NAME_CACHE[key] = _words(key) if key else None
    pattern = _CODE_NAME_CACHE[key]
    if pattern is not None:
        for m in pattern.finditer(text):
            yield Finding(CODE_NAME, m.start(), m.end())


DETECTORS = [swedish_ids, norwegian_ids, card_numbers, ibans, secrets, labels]
