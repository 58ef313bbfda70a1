"""What people write: the one check every service runs on a text before keeping it.

`clean` is called by every service that takes text (posts, comments, questions,
answers, referral notes, communities, blog entries, wiki pages, bookmarks,
invitations, profiles), so the same characters are refused everywhere with the
same words:

- NUL (U+0000) is refused: PostgreSQL cannot store it, and no one types it.
- Bidirectional embedding, override and isolate controls (U+202A–U+202E,
  U+2066–U+2069) are refused in plain texts (names, titles, notes, messages,
  profile fields): they can make a name or a line read backwards ("evil" shown
  as "live"), and plain texts are printed by many pages, notifications and the
  API, so refusing them at the door is the one place that covers every output.
  Markdown bodies keep them as written: text pasted from a right-to-left
  document may carry them, and the Markdown renderer (`kollega.markup`), the one
  way a body reaches a page, drops them (`without_direction_controls`). The
  marks U+200E and U+200F only set the direction of neutral characters and
  cannot reverse text, so they stay allowed everywhere.
- Every text is stored in Unicode normal form C, so a composed `ö` and an `o`
  followed by a combining diaeresis are the same word for search, tags and
  mentions.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text: str) -> str:
    """`text` without bidirectional embedding, override and isolate controls."""
    return DIRECTION_CONTROLS.sub("", text)


def _refuse(message: str, code: str, field: str | None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def nul_refused() -> str:
    """What a person is told about a NUL character, wherever it is refused."""
    return _("The text contains a NUL character (U+0000), which cannot be saved; remove it.")


def clean(
    text: str | None, *, one_line: bool = False, markdown: bool = False, field: str | None = None
) -> str:
    """`text` in normal form C, or a ValidationError (keyed by `field` if given).

    A NUL character is refused; so are direction controls unless the text is a
    `markdown` body. A `one_line` text has its runs of white space made one space
    and its ends trimmed; other texts keep their white space (callers trim).
    """
    text = unicodedata.normalize("NFC", text or "")
    if "\x00" in text:
        raise _refuse(nul_refused(), "nul_character", field)
    if not markdown and DIRECTION_CONTROLS.search(text):
        raise _refuse(
            _(
                "The text contains invisible direction controls (U+202A–U+202E, U+2066–U+2069),"
                " which can make it read backwards; remove them."
            ),
            "direction_controls",
            field,
        )
    return " ".join(text.split()) if one_line else text


def checked_length(text: str, max_length: int, field: str | None = None) -> str:
    """`text` if it has at most `max_length` characters, else a ValidationError saying so."""
    if len(text) > max_length:
        error = ValidationError(
            _("Too long: %(length)d characters, at most %(max)d."),
            params={"length": len(text), "max": max_length},
            code="too_long",
        )
        raise ValidationError({field: error}) if field else error
    return text
