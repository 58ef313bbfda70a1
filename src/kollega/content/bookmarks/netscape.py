"""The Netscape bookmark file format, which every browser imports and exports.

    <!DOCTYPE NETSCAPE-Bookmark-file-1>
    <DL><p>
        <DT><H3>Folder</H3>
        <DL><p>
            <DT><A HREF="https://…" ADD_DATE="1700000000" TAGS="a,b">Title</A>
            <DD>Notes
        </DL><p>
    </DL><p>

`read` returns the links with the line each starts on, or raises
`BookmarkFileError` naming the line of the first problem. Folders become tags
(the browsers' own top folders — the toolbar, "Other bookmarks" — do not).
`write` produces a file `read` reads back to the same links.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser

from django.utils.translation import gettext as _

DOCTYPE = "<!DOCTYPE NETSCAPE-Bookmark-file-1>"
# Folders browsers make themselves; their names say nothing about the links in them.
BROWSER_FOLDER_FLAGS = {"personal_toolbar_folder", "unfiled_bookmarks_folder"}
BROWSER_FOLDER_NAMES = {
    "bookmarks bar", "bookmarks toolbar", "bookmarks menu", "other bookmarks",
    "mobile bookmarks", "favorites bar", "favourites bar", "bookmarks",
}  # fmt: skip


class BookmarkFileError(ValueError):
    """A problem in a bookmark file, at a line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class FileLink:
    line: int
    url: str
    title: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    added_at: datetime | None = None
    private: bool = False


def tag_from_label(label: str) -> str:
    """A folder name or a TAGS entry as a tag name: 'Team Wiki' → 'team-wiki' ('' if none)."""
    name = re.sub(r"[^\w\-.]+", "-", label.strip().lower()).strip("-.")
    return name[:50].rstrip("-.")


def _timestamp(value: str | None, line: int) -> datetime | None:
    if not value:
        return None
    try:
        seconds = int(value)
        # Some browsers write microseconds; a date past 2100 in seconds is one of them.
        if seconds > 4_102_444_800:
            seconds //= 1_000_000
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise BookmarkFileError(
            line, _("ADD_DATE “%(value)s” is not a date (seconds since 1970).") % {"value": value}
        ) from None


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[FileLink] = []
        self.folders: list[str | None] = []  # one per open <DL>; None for an unnamed one
        self.pending_folder: str | None = None
        self.text: list[str] | None = None  # text being collected (a title, folder or notes)
        self.collecting: str | None = None  # "a", "h3" or "dd"
        self.folder_is_browsers = False
        self.opened_at: list[int] = []

    @property
    def line(self) -> int:
        return self.getpos()[0]

    def _end_notes(self) -> None:
        if self.collecting == "dd" and self.links:
            self.links[-1].notes = "".join(self.text or []).strip()
        if self.collecting == "dd":
            self.collecting, self.text = None, None

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("dt", "dl", "h3", "a"):
            self._end_notes()
        if self.collecting in ("a", "h3") and tag in ("a", "h3", "dl", "dt", "dd"):
            raise BookmarkFileError(
                self.line, _("A <%(tag)s> starts before the one above is closed.") % {"tag": tag}
            )
        if tag == "dl":
            self.folders.append(self.pending_folder)
            self.opened_at.append(self.line)
            self.pending_folder = None
        elif tag == "h3":
            self.collecting, self.text = "h3", []
            self.folder_is_browsers = bool(BROWSER_FOLDER_FLAGS & set(attrs))
        elif tag == "a":
            if not self.folders:
                raise BookmarkFileError(self.line, _("A link outside the list (<DL>)."))
            href = attrs.get("href", "").strip()
            if not href:
                raise BookmarkFileError(self.line, _("A link without an address (HREF)."))
            folder_tags = [f for f in self.folders if f]
            own = [t for t in attrs.get("tags", "").split(",") if t.strip()]
            tags = [tag_from_label(t) for t in [*folder_tags, *own]]
            self.links.append(
                FileLink(
                    line=self.line,
                    url=href,
                    tags=list(dict.fromkeys(t for t in tags if t)),
                    added_at=_timestamp(attrs.get("add_date"), self.line),
                    private=attrs.get("private", "") == "1",
                )
            )
            self.collecting, self.text = "a", []
        elif tag == "dd":
            self.collecting, self.text = "dd", []

    def handle_endtag(self, tag):
        if tag == "a" and self.collecting == "a":
            self.links[-1].title = " ".join("".join(self.text).split())
            self.collecting, self.text = None, None
        elif tag == "h3" and self.collecting == "h3":
            name = " ".join("".join(self.text).split())
            browsers = self.folder_is_browsers or name.lower() in BROWSER_FOLDER_NAMES
            self.pending_folder = None if browsers else name
            self.collecting, self.text = None, None
        elif tag == "dl":
            self._end_notes()
            if not self.folders:
                raise BookmarkFileError(
                    self.line, _("A </DL> closes a list that was never opened.")
                )
            self.folders.pop()
            self.opened_at.pop()

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def read(content: bytes | str) -> list[FileLink]:
    """The links of a Netscape bookmark file; `BookmarkFileError` names the first bad line."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = content[: error.start].count(b"\n") + 1
            raise BookmarkFileError(line, _("The file is not UTF-8 text.")) from None
    lines = content.splitlines()
    first = next((n for n, text in enumerate(lines, 1) if text.strip()), None)
    if first is None or not lines[first - 1].strip().upper().startswith(DOCTYPE.upper()):
        raise BookmarkFileError(
            first or 1,
            _("This is not a bookmark file: it should begin with %(doctype)s.")
            % {"doctype": DOCTYPE},
        )
    reader = _Reader()
    reader.feed(content)
    reader.close()
    if reader.collecting in ("a", "h3"):
        raise BookmarkFileError(reader.line, _("The file ends inside a link or a folder name."))
    reader._end_notes()
    if reader.opened_at:
        raise BookmarkFileError(
            reader.opened_at[-1], _("The list (<DL>) that opens here is never closed.")
        )
    return reader.links


def write(links: list[FileLink], title: str = "Bookmarks") -> str:
    """A Netscape bookmark file of `links`, flat, with tags in TAGS."""
    out = [
        DOCTYPE,
        "<!-- This is an automatically generated file.",
        "     It will be read and overwritten.",
        "     DO NOT EDIT! -->",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        f"<TITLE>{html.escape(title)}</TITLE>",
        f"<H1>{html.escape(title)}</H1>",
        "<DL><p>",
    ]
    for link in links:
        attrs = [f'HREF="{html.escape(link.url)}"']
        if link.added_at:
            attrs.append(f'ADD_DATE="{int(link.added_at.timestamp())}"')
        if link.tags:
            attrs.append(f'TAGS="{html.escape(",".join(link.tags))}"')
        if link.private:
            attrs.append('PRIVATE="1"')
        out.append(f"    <DT><A {' '.join(attrs)}>{html.escape(link.title)}</A>")
        if link.notes:
            out.append(f"    <DD>{html.escape(link.notes, quote=False)}")
    out.append("</DL><p>")
    return "\n".join(out) + "\n"
