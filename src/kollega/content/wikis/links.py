"""`[[Page name]]` links: found in a page's text and rendered after the safe Markdown.

The text is rendered by `kollega.markup.render` (sanitised, no raw HTML); only
then are `[[…]]` in its plain text (not inside code, pre or an existing link)
turned into links. The name is unescaped, looked up, and written back escaped,
so a link can never carry markup of its own.
"""

import html
import re
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.translation import gettext as _

from kollega import markup

WIKI_LINK = re.compile(r"\[\[([^\[\]\n|]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")
# A tag of the sanitised HTML, or the text between two tags.
_HTML_PART = re.compile(r"(<[^>]*>)")
_NO_LINKS_INSIDE = {"a", "code", "pre"}


def linked_titles(text: str) -> list[str]:
    """The page titles `text` links to with [[…]], in order, without repeats (any case)."""
    seen: dict[str, str] = {}
    for match in WIKI_LINK.finditer(text):
        title = match.group(1).strip()
        if title:
            seen.setdefault(title.lower(), title)
    return list(seen.values())


def render_page(text: str, pages_by_title: dict, new_page_url: str | None) -> str:
    """`text` as safe HTML with [[links]]: to the page when it exists, else a "create"
    link to `new_page_url` (or plain marked text for someone who may not create pages).

    `pages_by_title` maps lower-cased titles to pages of the same wiki."""
    rendered = markup.render(text).html
    parts = _HTML_PART.split(rendered)
    inside: list[str] = []
    out = []
    for part in parts:
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _NO_LINKS_INSIDE:
                if part.startswith("</"):
                    if name in inside:
                        inside.remove(name)
                elif not part.endswith("/>"):
                    inside.append(name)
            out.append(part)
        elif inside:
            out.append(part)
        else:
            out.append(WIKI_LINK.sub(lambda m: _link(m, pages_by_title, new_page_url), part))
    return "".join(out)


def _link(match: re.Match, pages_by_title: dict, new_page_url: str | None) -> str:
    title = html.unescape(match.group(1)).strip()
    label = html.unescape(match.group(2)).strip() if match.group(2) else title
    page = pages_by_title.get(title.lower())
    if page is not None:
        return f'<a class="wiki-link" href="{escape(page.get_absolute_url())}">{escape(label)}</a>'
    if new_page_url is None:
        return f'<span class="wiki-link missing">{escape(label)}</span>'
    separator = "&" if "?" in new_page_url else "?"
    href = f"{new_page_url}{separator}{urlencode({'title': title})}"
    hint = escape(_("Create the page “%(title)s”") % {"title": title})
    return f'<a class="wiki-link missing" href="{escape(href)}" title="{hint}">{escape(label)}</a>'
