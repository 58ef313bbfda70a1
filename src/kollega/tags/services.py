"""Tag names: one normalisation used by every app that tags things.

`tag_key` is the one way a name becomes the stored form: without a leading '#',
in Unicode normal form C and case-folded, so `#Wine` and `wine`, `ß` and `SS`,
and a composed `ö` and an `o` with a combining diaeresis are each one tag.
`normalise_tag` also checks the result is a valid tag (for names being saved);
lookups (a tag page, a filter) use `tag_key`, which never refuses.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kollega.tags.models import Tag

TAG_PATTERN = re.compile(r"^[\w][\w\-.]{0,49}$", re.UNICODE)


def tag_key(raw: str) -> str:
    """The stored form of a tag name (no '#', NFC, case-folded), for saving and looking up."""
    name = unicodedata.normalize("NFC", raw or "").strip().lstrip("#").strip()
    return unicodedata.normalize("NFC", name.casefold())


def normalise_tag(raw: str) -> str:
    """Return the canonical form of a tag name, or raise ValidationError."""
    name = tag_key(raw)
    if not name or not TAG_PATTERN.match(name) or name.endswith((".", "-")):
        raise ValidationError(
            _("“%(tag)s” is not a valid tag: use letters, digits, '-' or '.', at most 50."),
            params={"tag": raw},
            code="invalid_tag",
        )
    return name


def get_or_create_tags(names: list[str]) -> list[Tag]:
    """Return Tag rows for the given raw names, creating missing ones."""
    clean = sorted({normalise_tag(n) for n in names})
    existing = {t.name: t for t in Tag.objects.filter(name__in=clean)}
    missing = [Tag(name=n) for n in clean if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=clean)}
    return [existing[n] for n in clean]
