"""Reading what a source answered into items: feeds (feedparser, JSON Feed) and Mastodon statuses.

Readers are lenient where a person would be (a feed with a bad date or a wrong
encoding declaration is still read, and `notes` say what was guessed) and
raise `ReadError` with a clear sentence where nothing can be read (an HTML page,
XML that breaks before the first item, JSON that is no feed).

External HTML is never trusted: `clean_html` keeps the Markdown subset's tags
(`kollega.markup.ALLOWED_TAGS`) and drops everything else: scripts, event
handlers, `javascript:` URLs, forms, frames, and images (an external image
would be loaded from the reader's browser and tell its server who reads).
"""

import calendar
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import feedparser
import nh3
from django.utils import timezone

from kollega.limits import LISTENING_AUTHOR_MAX_CHARS as AUTHOR_MAX_CHARS
from kollega.limits import LISTENING_EXTERNAL_ID_MAX_CHARS as EXTERNAL_ID_MAX_CHARS
from kollega.limits import LISTENING_TITLE_MAX_CHARS as TITLE_MAX_CHARS
from kollega.limits import LISTENING_URL_MAX_CHARS as URL_MAX_CHARS
from kollega.markup import ALLOWED_TAGS
from kollega.texts import without_direction_controls

# No `class` from outside: the intranet's own classes (mention, hashtag) are not theirs to set.
EXTERNAL_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
FUTURE_TOLERANCE = timedelta(days=1)  # clocks and time zones differ; a day ahead is a wrong date
JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")
EXTRA_PREFIXES = ("itunes_", "media_", "podcast_", "googleplay_")
TAG_RE = re.compile(r"<[^>]+>")


class ReadError(Exception):
    """Nothing could be read: the message says why, for the source's page."""


@dataclass
class ItemData:
    external_id: str
    title: str = ""
    url: str = ""
    author: str = ""
    published: datetime | None = None
    content_html: str = ""
    extras: dict = field(default_factory=dict)
    boosts: int | None = None
    favourites: int | None = None
    replies: int | None = None


@dataclass
class ReadResult:
    items: list[ItemData]
    notes: list[str] = field(default_factory=list)


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    """A relative link in external text would point into the intranet: it is dropped."""
    if attribute == "href" and not value.lower().startswith(("http://", "https://", "mailto:")):
        return None
    return value


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = r"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""


def _attribute(tag: str, name: str) -> str:
    found = re.search(_ATTRIBUTE.format(name=name), tag, re.IGNORECASE)
    return html.unescape(next((g for g in found.groups() if g is not None), "")) if found else ""


def _image_as_link(found: re.Match) -> str:
    """An external image becomes a link to it, named by its alt text (else its file name):
    the reader's browser never loads it, so its server never learns who reads (privacy).
    A tracking pixel (0 or 1 pixel wide or high) is dropped."""
    tag = found.group(0)
    src = _attribute(tag, "src").strip()
    tiny = {_attribute(tag, "width").strip(), _attribute(tag, "height").strip()} & {"0", "1"}
    if not src or tiny:  # nothing to show, or a tracking pixel
        return ""
    name = " ".join(_attribute(tag, "alt").split()) or src.rstrip("/").rsplit("/", 1)[-1]
    return f'<a href="{html.escape(src)}">[{html.escape(name[:200])}]</a>'


def clean_html(value: str) -> str:
    """External HTML cut down to the Markdown subset's tags, links made safe and absolute.

    Images become links to them (`_image_as_link`); nh3 then cleans the whole.
    (Feeds fetched from their address have their relative links made absolute
    by feedparser first; in a saved file they stay relative, and are dropped.)
    """
    value = _IMG.sub(_image_as_link, without_direction_controls(value or ""))
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=EXTERNAL_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_absolute_links_only,
    )


def plain_text(value: str) -> str:
    """Text without tags or entities, whitespace folded (for titles)."""
    return " ".join(html.unescape(TAG_RE.sub(" ", value or "")).split())


def _cut(value, limit: int) -> str:
    return without_direction_controls(str(value or "")).strip()[:limit]


def _safe_url(value) -> str:
    value = str(value or "").strip()
    return value[:URL_MAX_CHARS] if value.lower().startswith(("http://", "https://")) else ""


def _external_id(*candidates, fallback: str) -> str:
    for candidate in candidates:
        candidate = str(candidate or "").strip()
        if candidate:
            if len(candidate) <= EXTERNAL_ID_MAX_CHARS:
                return candidate
            return "sha256:" + hashlib.sha256(candidate.encode()).hexdigest()
    return "sha256:" + hashlib.sha256(fallback.encode()).hexdigest()


def _json_safe(value, depth: int = 0):
    """Feedparser's values as plain JSON (dicts, lists, strings, numbers)."""
    if depth > 6:
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple) and not hasattr(value, "tm_year"):
        return [_json_safe(v, depth + 1) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class _Dates:
    """Checks each item's date; counts those missing or in the future for the notes."""

    def __init__(self, now: datetime):
        self.now = now
        self.missing = 0
        self.future = 0

    def check(self, when: datetime | None, extras: dict) -> datetime:
        if when is None:
            self.missing += 1
            return self.now
        if when > self.now + FUTURE_TOLERANCE:
            self.future += 1
            extras["published_as_given"] = when.isoformat()
            return self.now
        return when

    def notes(self) -> list[str]:
        notes = []
        if self.missing:
            notes.append(f"{self.missing} item(s) had no date; the time first seen is used.")
        if self.future:
            notes.append(
                f"{self.future} item(s) were dated in the future; the time first seen is used "
                "(the given date is kept)."
            )
        return notes


# --- feeds ----------------------------------------------------------------------------------


def read_feed(body: bytes, content_type: str = "", base_url: str = "") -> ReadResult:
    """The items of an RSS, Atom or JSON Feed document (bytes as received)."""
    start = body.lstrip()[:1]
    if start in (b"{", b"[") or "json" in (content_type or "").lower():
        return read_json_feed(body)
    stripped = body.lstrip(b" \t\r\n")
    if stripped.startswith(b"<"):
        body = stripped  # a blank line before the XML declaration is a common slip, not an error
    headers = {"content-type": content_type} if content_type else {}
    if base_url:
        headers["content-location"] = base_url
    # A stream, never bytes: feedparser opens a string that names a file or a URL.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        raise ReadError(_not_a_feed(body, parsed))
    now = timezone.now()
    dates = _Dates(now)
    items = _deduplicated([_feed_item(entry, dates) for entry in entries])
    notes = dates.notes()
    if parsed.get("bozo") and entries:
        notes.insert(0, f"Read leniently: {_bozo_message(parsed)}")
    return ReadResult(items=items, notes=notes)


def _not_a_feed(body: bytes, parsed) -> str:
    head = body.lstrip()[:500].lower()
    if not body.strip():
        return "The answer is empty: no feed."
    if any(tag in head for tag in (b"<html", b"<!doctype html", b"<head", b"<body")):
        return "This is an HTML page, not a feed (RSS, Atom or JSON Feed)."
    if parsed.get("bozo"):
        return f"Not a readable feed: {_bozo_message(parsed)}"
    return "Not a feed: no RSS, Atom or JSON Feed document was found."


def _bozo_message(parsed) -> str:
    error = parsed.get("bozo_exception")
    text = str(error) if error else "the document is not well-formed"
    name = type(error).__name__ if error else ""
    if "CharacterEncoding" in name:
        return f"the encoding was wrong or undeclared ({text})."
    return f"malformed XML ({text})." if text else "malformed XML."


def _entry_date(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # not feedparser's own get, which maps one to another
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _feed_item(entry, dates: _Dates) -> ItemData:
    content = ""
    if entry.get("content"):
        content = entry["content"][0].get("value", "")
    content = content or entry.get("summary", "")
    extras = {
        key: _json_safe(value) for key, value in entry.items() if key.startswith(EXTRA_PREFIXES)
    }
    if entry.get("enclosures"):
        extras["enclosures"] = _json_safe(entry["enclosures"])
    if entry.get("tags"):
        extras["categories"] = [t.get("term") for t in entry["tags"] if t.get("term")]
    link = entry.get("link", "")
    title = plain_text(entry.get("title", ""))
    return ItemData(
        external_id=_external_id(entry.get("id"), link, fallback=title + content),
        title=_cut(title, TITLE_MAX_CHARS),
        url=_safe_url(link),
        author=_cut(entry.get("author", ""), AUTHOR_MAX_CHARS),
        published=dates.check(_entry_date(entry), extras),
        content_html=clean_html(content),
        extras=extras,
    )


def _deduplicated(items: list[ItemData]) -> list[ItemData]:
    """The first item of each external id (a feed may repeat a GUID)."""
    seen: dict[str, ItemData] = {}
    for item in items:
        seen.setdefault(item.external_id, item)
    return list(seen.values())


def read_json_feed(body: bytes) -> ReadResult:
    """The items of a JSON Feed 1.0 or 1.1 document."""
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ReadError("A JSON Feed must be UTF-8; this one is not.") from error
    except json.JSONDecodeError as error:
        raise ReadError(f"Not valid JSON: {error.msg} at line {error.lineno}.") from error
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        JSON_FEED_VERSIONS[0]
    ):
        raise ReadError("JSON, but not a JSON Feed (no https://jsonfeed.org/version/… version).")
    entries = document.get("items")
    if not isinstance(entries, list):
        raise ReadError("A JSON Feed without an items list.")
    dates = _Dates(timezone.now())
    feed_authors = _json_feed_authors(document)
    items = [
        _json_feed_item(entry, dates, feed_authors) for entry in entries if isinstance(entry, dict)
    ]
    return ReadResult(items=_deduplicated(items), notes=dates.notes())


def _json_feed_authors(entry: dict) -> str:
    authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
    names = [a.get("name", "") for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if isinstance(n, str) and n)


def _iso_date(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _json_feed_item(entry: dict, dates: _Dates, feed_authors: str) -> ItemData:
    content = entry.get("content_html") or html.escape(str(entry.get("content_text") or ""))
    extras = {
        key: _json_safe(entry[key])
        for key in ("attachments", "tags", "image", "banner_image", "external_url")
        if key in entry
    }
    url = entry.get("url") or ""
    title = plain_text(str(entry.get("title") or ""))
    return ItemData(
        external_id=_external_id(entry.get("id"), url, fallback=title + str(content)),
        title=_cut(title, TITLE_MAX_CHARS),
        url=_safe_url(url),
        author=_cut(_json_feed_authors(entry) or feed_authors, AUTHOR_MAX_CHARS),
        published=dates.check(
            _iso_date(entry.get("date_published")) or _iso_date(entry.get("date_modified")),
            extras,
        ),
        content_html=clean_html(str(content)),
        extras=extras,
    )


# --- Mastodon -------------------------------------------------------------------------------


def read_statuses(body: bytes) -> ReadResult:
    """The items of a Mastodon answer: a JSON list of statuses."""
    try:
        statuses = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReadError(f"The server's answer is not JSON ({error}).") from error
    if isinstance(statuses, dict) and "error" in statuses:
        raise ReadError(f"The server said: {str(statuses['error'])[:300]}")
    if not isinstance(statuses, list):
        raise ReadError("The server's answer is not a list of statuses.")
    dates = _Dates(timezone.now())
    items = [_status_item(s, dates) for s in statuses if isinstance(s, dict) and s.get("id")]
    return ReadResult(items=_deduplicated(items), notes=dates.notes())


def _count(value) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def _status_item(status: dict, dates: _Dates) -> ItemData:
    account = status.get("account") if isinstance(status.get("account"), dict) else {}
    text = plain_text(status.get("content", ""))
    extras = {
        "account": {k: account.get(k) for k in ("id", "acct", "url", "display_name")},
        "tags": [t.get("name") for t in status.get("tags") or [] if isinstance(t, dict)],
        "media": [
            {k: m.get(k) for k in ("type", "url", "preview_url", "description")}
            for m in status.get("media_attachments") or []
            if isinstance(m, dict)
        ],
        "language": status.get("language"),
        "spoiler_text": status.get("spoiler_text") or "",
        "uri": status.get("uri"),
    }
    title = status.get("spoiler_text") or text
    name = account.get("display_name") or account.get("acct") or ""
    acct = account.get("acct") or ""
    return ItemData(
        external_id=_external_id(str(status["id"]), fallback=str(status.get("uri"))),
        title=_cut(title if len(title) <= 120 else title[:119] + "…", TITLE_MAX_CHARS),
        url=_safe_url(status.get("url") or status.get("uri")),
        author=_cut(f"{name} (@{acct})" if name != acct and acct else name, AUTHOR_MAX_CHARS),
        published=dates.check(_iso_date(status.get("created_at")), extras),
        content_html=clean_html(str(status.get("content") or "")),
        extras=_json_safe(extras),
        boosts=_count(status.get("reblogs_count")),
        favourites=_count(status.get("favourites_count")),
        replies=_count(status.get("replies_count")),
    )
