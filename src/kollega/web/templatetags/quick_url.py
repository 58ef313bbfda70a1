"""`{% url %}` with the same syntax and output as Django's, without its reverse() on
every call for the routes a page builds again and again.

A home page builds about 200 links, 180 of them in its 20 post cards (the post,
its recommend and comment forms, the author's profile and avatar, each comment's
author); Django's reverse() costs about 10 microseconds each, two of the card's
dozen. A route with at most one argument, an `int` or `str` converter and no
namespace is reversed once per process (with a marker digit string standing in
for the argument) and the argument is then put in the marker's place, quoted as
reverse() quotes it. Anything else, an argument reverse() would refuse (a
negative number, an empty string, a slash) included, is left to Django's tag.
"""

from urllib.parse import quote

from django import template
from django.template import defaulttags
from django.template.defaulttags import URLNode
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.urls.converters import IntConverter, StringConverter
from django.utils.html import conditional_escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

register = template.Library()

MARKER = "7310573105"  # digits, so both converters accept it
SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted
_routes: dict[tuple, tuple | None] = {}


def _route(name: str, urlconf, prefix: str, language: str | None):
    """(head, tail, converter type) of a one-argument route, ("url", "", None) of a
    route without arguments, or None when the route needs Django's reverse()."""
    # Keyed as Django keys its own reverse lookups: a route may be translated.
    key = (name, urlconf, prefix, language)
    try:
        return _routes[key]
    except KeyError:
        pass
    route = None
    possibilities = get_resolver(urlconf).reverse_dict.getlist(name)
    if ":" not in name and len(possibilities) == 1:
        possibility, _pattern, defaults, converters = possibilities[0]
        params = possibility[0][1] if len(possibility) == 1 else None
        if params == [] and not defaults:
            route = (reverse(name, urlconf=urlconf), "", None)
        elif params and len(params) == 1 and not defaults:
            kind = type(converters.get(params[0]))
            if kind in (IntConverter, StringConverter):
                head, marker, tail = reverse(name, urlconf=urlconf, args=[MARKER]).partition(MARKER)
                if marker and MARKER not in tail:
                    route = (head, tail, kind)
    _routes[key] = route
    return route


def quick_reverse(name: str, args: list) -> str | None:
    """reverse(name, args=args) from the cached route, or None to let reverse() do it."""
    route = _route(name, get_urlconf(), get_script_prefix(), get_language())
    if route is None:
        return None
    head, tail, kind = route
    if kind is None:
        return head if not args else None
    if len(args) != 1:
        return None
    value = args[0]
    if kind is IntConverter and type(value) is int and value >= 0:
        return f"{head}{value}{tail}"
    if kind is StringConverter and type(value) is str and value and "/" not in value:
        return head + quote(value, safe=SAFE) + tail
    return None


class QuickURLNode(URLNode):
    """Django's URLNode, with the cached route tried first."""

    def render(self, context):
        if not self.kwargs and len(self.args) <= 1:
            name = self.view_name.resolve(context)
            url = None
            if isinstance(name, str):
                url = quick_reverse(name, [arg.resolve(context) for arg in self.args])
            if url is not None:
                if self.asvar:
                    context[self.asvar] = url
                    return ""
                return conditional_escape(url) if context.autoescape else url
        return super().render(context)


@register.tag
def url(parser, token):
    """Django's {% url %}, faster for one-argument routes (see the module's docstring)."""
    node = defaulttags.url(parser, token)
    return QuickURLNode(node.view_name, node.args, node.kwargs, node.asvar)
