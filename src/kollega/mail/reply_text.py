"""What a person wrote in a reply: the new text, without the quoted mail and signature.

`reply_text(message)` takes the plain-text part when there is one, else converts
the HTML part to the Markdown subset Kollega stores (`html_to_markdown`), then
cuts what mail clients add below a reply:

- the quote's attribution and everything after it: "On … wrote:" and its Swedish
  and Norwegian forms ("Den … skrev …:", "… kl. 10:00 skrev …:"), Outlook's header
  block ("From:/Från:/Fra: …" followed by "Sent:/Skickat:/Sendt: …") and
  "-----Original Message-----" lines;
- a signature after a `-- ` line;
- lines quoted with `>`;
- "Sent from my iPhone" lines (and their sv/nb forms) at the end.
"""

import re
from email.message import EmailMessage
from html.parser import HTMLParser

import nh3

_ATTRIBUTION = [
    re.compile(r"^\s*On\b.*\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*(Den|På)\b.*\bskrev\b.*:\s*$", re.IGNORECASE),
    re.compile(r"^.*\d.*\bskrev\b.*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original Message|Ursprungligt meddelande|Opprinnelig melding|"
               r"Originalmeddelande|Videresendt melding|Vidarebefordrat meddelande)\s*-{2,}\s*$",
               re.IGNORECASE),
]  # fmt: skip
_OUTLOOK_FROM = re.compile(r"^\s*\*?(From|Från|Fra|Von)\s*:\*?\s", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"^\s*\*?(Sent|Date|Skickat|Datum|Sendt|Dato)\s*:\*?\s", re.IGNORECASE)
_SENT_FROM_PHONE = re.compile(
    r"^\s*(Sent from|Sent with|Skickat från|Sendt fra|Get Outlook for|Hämta Outlook för|"
    r"Få Outlook for)\b.*$",
    re.IGNORECASE,
)


def reply_text(message: EmailMessage) -> str:
    """The new text of a reply, as Markdown; "" when nothing is left.

    The plain-text part is preferred; the HTML part is read when there is no
    plain text or nothing is left of it (some clients send an empty one).
    """
    for subtype in ("plain", "html"):
        body = message.get_body(preferencelist=(subtype,))
        text = _text_of(body) if body is not None else ""
        if text:
            return text
    return ""


def _text_of(body: EmailMessage) -> str:
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset or a broken part
        payload = body.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    if body.get_content_subtype() == "html":
        content = html_to_markdown(content)
    return strip_quoted(content)


def strip_quoted(text: str) -> str:
    """`text` without the quoted mail, the signature and "Sent from my phone" lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line in ("-- ", "--"):
            break
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _is_attribution(line, following):
            break
        if _OUTLOOK_FROM.match(line) and any(
            _OUTLOOK_SENT.match(following) for following in lines[index + 1 : index + 5]
        ):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    while kept and (not kept[-1].strip() or _SENT_FROM_PHONE.match(kept[-1])):
        kept.pop()
    # Outlook draws a line of underscores above its header block.
    while kept and re.fullmatch(r"\s*_{8,}\s*", kept[-1]):
        kept.pop()
    return "\n".join(line.rstrip() for line in kept).strip()


def _is_attribution(line: str, following: str) -> bool:
    """Whether `line` starts the quoted mail; "On …, Anna <anna@…>\nwrote:" may wrap."""
    if any(pattern.match(line) for pattern in _ATTRIBUTION):
        return True
    return bool(following) and bool(_ATTRIBUTION[0].match(f"{line} {following}"))


# --- HTML-only mail ---------------------------------------------------------------

_KEPT_TAGS = {
    "p", "br", "div", "span", "strong", "b", "em", "i", "a", "ul", "ol", "li", "blockquote",
    "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "del", "s", "table", "tr", "td", "th",
}  # fmt: skip
_BLOCKS = {"p", "div", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"}
# Where mail clients put the quoted mail in HTML: dropped with everything inside.
_QUOTE_CLASSES = {"gmail_quote", "yahoo_quoted", "moz-cite-prefix"}
_QUOTE_IDS = {"divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container"}


def html_to_markdown(html: str) -> str:
    """An HTML mail body as the Markdown subset Kollega stores (`kollega.markup`).

    nh3 first keeps only the tags above (scripts, styles and the head are dropped
    with their content); then paragraphs, line breaks, bold, italics, links
    (http, https, mailto), lists and code become Markdown, headings become bold
    lines, and quoted mail (blockquotes, Gmail's and Outlook's quote blocks) is left out.
    """
    cleaned = nh3.clean(
        html,
        tags=_KEPT_TAGS,
        attributes={"a": {"href"}, "div": {"class", "id"}, "span": {"class"}},
        url_schemes={"http", "https", "mailto"},
        clean_content_tags={"script", "style", "head", "title"},
        link_rel=None,
    )
    converter = _Converter()
    converter.feed(cleaned)
    converter.close()
    text = "".join(converter.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _Converter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0  # > 0 inside quoted mail
        self.stack: list[str] = []  # open tags, to find where a skipped block ends
        self.lists: list[list] = []  # per open list: [ordered, next number]
        self.links: list[str | None] = []
        self.pre = 0
        self.done = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "br":
            if not self.skip_depth and not self.done:
                self.out.append("\n")
            return
        if tag == "div" and (
            _QUOTE_CLASSES & set((attrs.get("class") or "").split())
            or (attrs.get("id") or "").lower() in _QUOTE_IDS
        ):
            self.done = True  # the quoted mail starts here and runs to the end
        if self.done:
            return
        self.stack.append(tag)
        if self.skip_depth or tag == "blockquote":
            self.skip_depth += 1
            return
        if tag in _BLOCKS:
            self._block()
        elif tag == "li" and self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.out.append(f"{indent}{self.lists[-1][1]}. ")
                self.lists[-1][1] += 1
            else:
                self.out.append(f"{indent}- ")
        elif tag in ("strong", "b") or tag[0] == "h" and tag[1:].isdigit():
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("del", "s"):
            self.out.append("~~")
        elif tag == "pre":
            self.pre += 1
            self.out.append("```\n")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "a":
            href = attrs.get("href")
            self.links.append(href)
            if href:
                self.out.append("[")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if self.done or tag == "br" or tag not in self.stack:
            return
        while self.stack:
            opened = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
            else:
                self._close(opened)
            if opened == tag:
                break

    def _close(self, tag):
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._block()
        elif tag == "li":
            self.out.append("\n")
        elif tag in ("strong", "b") or tag[0] == "h" and tag[1:].isdigit():
            self.out.append("**")
            if tag != "strong" and tag != "b":
                self._block()
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("del", "s"):
            self.out.append("~~")
        elif tag == "pre":
            self.pre -= 1
            self.out.append("\n```")
            self._block()
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self.out.append(f"]({href})")
        elif tag in _BLOCKS:
            self._block()

    def handle_data(self, data):
        if self.skip_depth or self.done:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if self.out and self.out[-1].endswith("\n"):
                data = data.lstrip()
        self.out.append(data)

    def _block(self):
        if self.out and not "".join(self.out[-2:]).endswith("\n\n"):
            self.out.append("\n\n")
