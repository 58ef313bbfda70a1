"""Safe Markdown for everything people write.

A CommonMark subset with raw HTML switched off; @mentions and #tags become
links; the result is cleaned once more by an allow-list sanitizer, so no
script, event handler, `javascript:` URL or raw HTML reaches a page, and no
direction control turns text around (`kollega.texts`).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kollega.tags.services import tag_key
from kollega.texts import without_direction_controls

MENTION_OR_TAG = re.compile(
    r"(?<![\w@/])@(?P<handle>\w(?:[\w.\-]*\w)?)|(?<![\w&#/])#(?P<tag>\w(?:[\w\-]*\w)?)",
    re.UNICODE,
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "ol": {"start"}}


@dataclass
class Rendered:
    html: str
    mentions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def find_mentions_and_tags(text: str) -> tuple[list[str], list[str]]:
    """The @handles and #tags a text names, in order, without repeats.

    Only plain text counts, as in `render`: an @ or # inside code or a link is
    not a mention or a tag (so code such as `@decorator` or `#include` is fine).
    """
    return _mentions_and_tags(_markdown().parse(_prepared(text)))


def _prepared(text: str) -> str:
    """The text as parsed: in normal form C (so `#nörm` is one tag however it was typed),
    without direction controls."""
    return without_direction_controls(unicodedata.normalize("NFC", text))


def _mentions_and_tags(tokens: list[Token]) -> tuple[list[str], list[str]]:
    handles, tags = [], []
    for block in tokens:
        for token, depth in _inline_children(block):
            if token.type != "text" or depth:
                continue
            for match in MENTION_OR_TAG.finditer(token.content):
                if (h := match.group("handle")) and h.lower() not in handles:
                    handles.append(h.lower())
                if (t := match.group("tag")) and tag_key(t) not in tags:
                    tags.append(tag_key(t))
    return handles, tags


def _inline_children(block: Token):
    """The inline tokens of a block, each with how many links it sits inside."""
    if block.type != "inline" or not block.children:
        return
    depth = 0
    for token in block.children:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        yield token, depth


def _link_tokens(text: str, known_handles: set[str], link_tags: bool = True) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for match in MENTION_OR_TAG.finditer(text):
        handle, tag = match.group("handle"), match.group("tag")
        if handle and handle.lower() not in known_handles:
            continue
        if tag and not link_tags:
            continue
        if match.start() > pos:
            out.append(_text(text[pos : match.start()]))
        if handle:
            href = reverse("profile", args=[handle.lower()])
            css = "mention"
        else:
            href = reverse("tag", args=[tag_key(tag)])
            css = "hashtag"
        link = Token("link_open", "a", 1)
        link.attrs = {"href": href, "class": css}
        out += [link, _text(match.group(0)), Token("link_close", "a", -1)]
        pos = match.end()
    if pos < len(text):
        out.append(_text(text[pos:]))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@functools.cache
def _markdown() -> MarkdownIt:
    """One shared parser: parsing keeps its state per call, so it can be reused."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline", "heading", "lheading"])
    return md


def _link_mentions_and_tags(
    tokens: list[Token], known_handles: set[str], link_tags: bool = True
) -> None:
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        for token, depth in _inline_children(block):
            if token.type == "text" and depth == 0:
                children.extend(_link_tokens(token.content, known_handles, link_tags))
            else:
                children.append(token)
        block.children = children


def render(text: str, known_handles: set[str] | None = None, *, link_tags: bool = True) -> Rendered:
    """Render `text` to safe HTML; only handles in `known_handles` become mention links,
    and #tags become links unless `link_tags` is False (a page outside the intranet,
    whose readers cannot follow links behind sign-in, gives no handles and no tag links).

    Bidirectional embedding, override and isolate controls are dropped, so no text
    is shown reversed ("\u202eevil" reads "evil"); the author's text keeps them.
    """
    md, env = _markdown(), {}
    tokens = md.parse(_prepared(text), env)
    handles, tags = _mentions_and_tags(tokens)
    known = {h for h in handles if known_handles is None or h in known_handles}
    _link_mentions_and_tags(tokens, known, link_tags)
    html = md.renderer.render(tokens, md.options, env)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Rendered(html=clean, mentions=sorted(known), tags=tags)
