"""Reading request bodies and query strings: text the database cannot store is refused here.

A JSON string may carry a lone surrogate (`"\\ud800"`), which is not a character
and cannot be encoded to UTF-8, and a NUL character, which PostgreSQL cannot store
in text. Either would fail deep inside a save as a server error; the API's parser
refuses both for every endpoint at once, with 400 and nothing changed.
"""

import json
import re

from django.utils.translation import gettext as _
from ninja.parser import Parser

from kollega.texts import nul_refused

# A lone surrogate: JSON's \ud800-\udfff escapes that do not form a pair decode to these.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class UnacceptableText(ValueError):
    """Text in a request that no field may hold (a lone surrogate or a NUL)."""


def check_text(value, where: str = "") -> None:
    """Raise UnacceptableText if any string in `value` (a decoded JSON value) is unacceptable."""
    if isinstance(value, str):
        # A NUL gets the words every service uses for it (kollega.texts).
        problem = nul_refused() if "\x00" in value else None
        if problem is None and LONE_SURROGATE.search(value):
            problem = _(
                "The text contains a NUL character or a lone surrogate; send valid Unicode."
            )
        if problem:
            raise UnacceptableText((f"{where}: " if where else "") + problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, where)
            check_text(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for item in value:
            check_text(item, where)


class KollegaParser(Parser):
    """ninja's JSON parser, refusing text that no field may hold."""

    def parse_body(self, request):
        data = json.loads(request.body)
        check_text(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        check_text(result)
        return result
