"""The translation catalogues are complete, safe to format and compiled.

Each ``locale/<lang>/LC_MESSAGES/django.po`` is read with a small parser of our
own, so the checks follow whatever ``makemessages`` put there: every entry is
translated (every plural form too), nothing is fuzzy, each translation keeps the
placeholders and surrounding whitespace of its source text, and the committed
``django.mo`` says the same as the ``.po`` (which catches a forgotten
``compilemessages`` without relying on file times, which git does not keep).
"""

import functools
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))

# Plural rules we expect per language; a language missing here only has to be consistent.
PLURAL_FORMS = {
    "sv": "nplurals=2; plural=(n != 1);",
    "nb": "nplurals=2; plural=(n != 1);",
}


# --- A small .po parser -------------------------------------------------------------------


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPES |= {"f": "\f", "v": "\v"}


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {text!r}")

    def replace(match: re.Match) -> str:
        if match.group(1) not in _ESCAPES:
            raise ValueError(f"{where}: unknown escape \\{match.group(1)}")
        return _ESCAPES[match.group(1)]

    return re.sub(r"\\(.)", replace, text[1:-1])


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def parse_po(path: Path) -> list[Entry]:
    """Every live entry of a .po file, the header (msgid "") included.

    Obsolete entries (``#~``) are skipped; msgfmt ignores them too.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path}:{number}"
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            # A comment starts a new entry if the previous one already has its strings.
            if entry is not None and target is not None and target[0] == "msgstr":
                finish()
            if line.startswith("#,"):
                entry = entry or Entry(line=number)
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif match := _KEYWORD.match(line):
            keyword, index, quoted = match.groups()
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            entry = entry or Entry(line=number)
            value = _unquote(quoted, where)
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, entry.line, target = value, number, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", None)
            else:
                slot = int(index) if index is not None else 0
                if slot in entry.msgstr:
                    raise ValueError(f"{where}: {keyword} given twice")
                entry.msgstr[slot], target = value, ("msgstr", slot)
        elif line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"{where}: a continued string with nothing to continue")
            value = _unquote(line, where)
            kind, slot = target
            if kind == "msgctxt":
                entry.msgctxt += value
            elif kind == "msgid":
                entry.msgid += value
            elif kind == "msgid_plural":
                entry.msgid_plural += value
            else:
                entry.msgstr[slot] += value
        else:
            raise ValueError(f"{where}: cannot read {raw!r}")
    finish()
    return entries


@functools.cache
def catalogue(lang: str) -> tuple[Entry, list[Entry]]:
    """The header entry and the message entries of one language."""
    entries = parse_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po")
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1, f"{lang}: expected exactly one header entry"
    return headers[0], [e for e in entries if e is not headers[0]]


def header_fields(lang: str) -> dict[str, str]:
    header, _entries = catalogue(lang)
    lines = header.msgstr.get(0, "").splitlines()
    return {k.strip(): v.strip() for k, _sep, v in (ln.partition(":") for ln in lines) if _sep}


def nplurals(lang: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header_fields(lang).get("Plural-Forms", ""))
    assert match, f"{lang}: the header has no Plural-Forms with nplurals"
    return int(match.group(1))


# --- Placeholders -------------------------------------------------------------------------

_NAMED_PERCENT = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")
_ANY_PERCENT = re.compile(r"%%|%(?:\([^)]+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z]")
_BRACE = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_TEMPLATE_VAR = re.compile(r"\{\{[^{}]+\}\}")


def placeholders(text: str, flags: set[str]) -> list[str]:
    """The placeholders in ``text`` as a sorted list (positional ones count by number)."""
    found = _TEMPLATE_VAR.findall(text)
    text = _TEMPLATE_VAR.sub("", text)
    if "python-format" in flags:
        found += [p for p in _ANY_PERCENT.findall(text) if p != "%%"]
    else:
        found += _NAMED_PERCENT.findall(text)
    if "python-brace-format" in flags:
        found += [p for p in _BRACE.findall(text) if p not in ("{{", "}}")]
    return sorted(found)


def _source_for_form(entry: Entry, index: int) -> str:
    # With two forms (sv, nb: "n != 1") form 0 is the singular and the rest the plural.
    if entry.msgid_plural is None or index == 0:
        return entry.msgid
    return entry.msgid_plural


# --- Tests --------------------------------------------------------------------------------

per_language = pytest.mark.parametrize("lang", CATALOGUES)


def test_the_languages_offered_all_have_a_catalogue():
    offered = {to_locale(code) for code, _name in settings.LANGUAGES if code != "en"}
    assert {"sv", "nb"} <= offered
    assert offered <= set(CATALOGUES), "a language in settings.LANGUAGES has no django.po"


@per_language
def test_the_header_names_the_language_and_its_plural_forms(lang):
    header, _entries = catalogue(lang)
    fields = header_fields(lang)
    assert "fuzzy" not in header.flags, f"{lang}: the header is still marked fuzzy"
    assert fields.get("Language") == lang
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    if lang in PLURAL_FORMS:
        assert fields.get("Plural-Forms") == PLURAL_FORMS[lang]
    assert nplurals(lang) >= 1


@per_language
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    _header, entries = catalogue(lang)
    assert entries, f"{lang}: the catalogue has no messages"
    forms = nplurals(lang)
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label} is fuzzy")
        expected = list(range(forms)) if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != expected:
            problems.append(f"{entry.label} has forms {sorted(entry.msgstr)}, not {expected}")
        problems += [
            f"{entry.label} has an empty msgstr[{i}]"
            for i, text in sorted(entry.msgstr.items())
            if not text.strip()
        ]
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@per_language
def test_translations_keep_the_placeholders(lang):
    _header, entries = catalogue(lang)
    problems = []
    for entry in entries:
        for index, text in sorted(entry.msgstr.items()):
            source = _source_for_form(entry, index)
            want, got = placeholders(source, entry.flags), placeholders(text, entry.flags)
            if set(want) != set(got):
                problems.append(f"{entry.label} msgstr[{index}]: {got} instead of {want}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@per_language
def test_translations_keep_leading_and_trailing_whitespace(lang):
    _header, entries = catalogue(lang)
    problems = []
    for entry in entries:
        for index, text in sorted(entry.msgstr.items()):
            source = _source_for_form(entry, index)
            lead = re.match(r"\s*", source).group(), re.match(r"\s*", text).group()
            trail = re.search(r"\s*\Z", source).group(), re.search(r"\s*\Z", text).group()
            if lead[0] != lead[1] or trail[0] != trail[1]:
                problems.append(f"{entry.label} msgstr[{index}]: whitespace differs: {text!r}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


def _compiled(lang: str) -> gettext.GNUTranslations:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"
    assert path.exists(), f"{path} is missing: run `python -m kollega compilemessages`"
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


@per_language
def test_the_compiled_catalogue_matches_the_po_file(lang):
    compiled = _compiled(lang)
    _header, entries = catalogue(lang)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                got = compiled.gettext(entry.msgid)
            else:
                got = compiled.pgettext(entry.msgctxt, entry.msgid)
            if got != entry.msgstr.get(0):
                stale.append(entry.label)
            continue
        for index, want in sorted(entry.msgstr.items()):
            n = next((n for n in range(1000) if compiled.plural(n) == index), None)
            if n is None:
                stale.append(f"{entry.label}: no n selects plural form {index}")
                continue
            if entry.msgctxt is None:
                got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
            else:
                got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            if got != want:
                stale.append(f"{entry.label} (n={n})")
    assert not stale, (
        f"{lang}: django.mo is out of date with django.po; run "
        "`cd src/kollega && python -m kollega compilemessages`:\n" + "\n".join(stale)
    )


KNOWN = {
    "sv": ("Logga ut", ("%(counter)s kontakt", "%(counter)s kontakter")),
    "nb": ("Logg ut", ("%(counter)s kontakt", "%(counter)s kontakter")),
}


@per_language
def test_known_messages_come_out_of_the_compiled_catalogue(lang):
    if lang not in KNOWN:
        pytest.skip(f"no known translations listed for {lang}")
    sign_out, (one, many) = KNOWN[lang]
    compiled = _compiled(lang)
    assert compiled.gettext("Sign out") == sign_out
    assert compiled.ngettext("%(counter)s contact", "%(counter)s contacts", 1) == one
    assert compiled.ngettext("%(counter)s contact", "%(counter)s contacts", 7) == many
    assert compiled.ngettext("%(counter)s contact", "%(counter)s contacts", 0) == many


@per_language
def test_msgfmt_accepts_the_po_file(lang):
    assert shutil.which("msgfmt"), "gettext's msgfmt is missing: `make test` installs it"
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
