"""Short dates in the reader's language: "16 Oct 2026", "16 okt 2026".

Django's "M" format gives a month's abbreviation with a capital letter in every
language ("16 Okt" in Swedish and Norwegian, where month names are written in
lower case); "b" gives it in lower case. Each language's short format is here,
in one place, for templates (`{{ when|short_date }}`) and code (`charts.py`).
"""

from datetime import date, datetime

from django.utils import formats, translation

# language → (day and month, day, month and year); English keeps Django's "M" ("Oct").
SHORT_FORMATS = {
    "sv": ("j b", "j b Y"),
    "nb": ("j b", "j b Y"),
}
DEFAULT_FORMATS = ("j M", "j M Y")


def short_date(value: date | datetime, year: bool = True) -> str:
    """`value` as "16 Oct 2026" (or "16 Oct" without `year`) in the active language."""
    language = (translation.get_language() or "en").split("-")[0]
    day_month, full = SHORT_FORMATS.get(language, DEFAULT_FORMATS)
    return formats.date_format(value, full if year else day_month)
