"""Social bookmarks: saving links, who else saved them, community lists, import and export.

Each function takes the acting person first, checks permission through
`permissions.bookmarks`, and changes state in one transaction.

Only web links (http and https) are saved. The same page saved in different
spellings (`HTTP://Intranet/wiki/`, `https://intranet/wiki#top`, with or
without `utm_` tracking) is one page (`normalise_url`), so "saved by N
colleagues" groups them; every count is of bookmarks the viewer may see.

For search and expertise, `bookmarks_of(viewer, person)` lists the bookmarks a
person saved that `viewer` may see: the evidence "keeps links about X".
"""

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega import texts
from kollega.communities.models import Community
from kollega.communities.services import visible_community
from kollega.content.bookmarks import netscape
from kollega.content.bookmarks.models import Bookmark, BookmarkAudience
from kollega.guard.services import screen
from kollega.limits import (
    BOOKMARK_IMPORT_MAX_BYTES,
    BOOKMARK_IMPORT_MAX_LINKS,
    BOOKMARK_MAX_TAGS,
    BOOKMARK_NOTES_MAX_CHARS,
    BOOKMARK_TITLE_MAX_CHARS,
    BOOKMARK_URL_MAX_CHARS,
)
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.permissions.bookmarks import can_change_bookmark
from kollega.permissions.classification import checked_level
from kollega.permissions.communities import can_post_in, can_read_community
from kollega.tags.models import Tag
from kollega.tags.services import get_or_create_tags, normalise_tag, tag_key

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
WEB_SCHEMES = ("http", "https")


# --- addresses ------------------------------------------------------------------------------


def checked_url(raw: str) -> str:
    """A web address as it will be saved, or a ValidationError saying what is wrong.

    An address without a scheme (`intranet.example/wiki`) is taken as https.
    """
    text = texts.clean(raw).strip()
    if not text:
        raise ValidationError(_("Give the address of the page."), code="empty_url")
    if len(text) > BOOKMARK_URL_MAX_CHARS:
        raise ValidationError(
            _("The address is too long: at most %(max)d characters."),
            params={"max": BOOKMARK_URL_MAX_CHARS},
            code="url_too_long",
        )
    if re.search(r"\s", text):
        raise ValidationError(_("An address cannot contain spaces."), code="url_spaces")
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise ValidationError(
            _("An address cannot contain control characters."), code="url_control"
        )
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", text):
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise ValidationError(
            _("Only web pages (http:// or https://) can be saved, not “%(scheme)s:” links."),
            params={"scheme": scheme},
            code="not_web",
        )
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1:
        raise ValidationError(
            _("“%(url)s” is not a web address."), params={"url": text[:100]}, code="bad_url"
        )
    return text


def normalise_url(url: str) -> str:
    """The page an address points at, for grouping: no scheme, fragment, tracking or `www.`.

    Host in lower case (and IDNA), default ports dropped, query sorted, a
    trailing slash dropped.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    with contextlib.suppress(UnicodeError):  # a host IDNA cannot encode stays as written
        host = host.encode("idna").decode("ascii")
    host = host.removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)
    )
    return netloc + path + (f"?{urlencode(query)}" if query else "")


def url_key(url: str) -> str:
    """The key every save of the same page shares (a hash of `normalise_url`)."""
    return hashlib.sha256(normalise_url(url).encode()).hexdigest()


def page_path(url: str) -> str:
    """The path of an address, as `Bookmark.path` keeps it: `/posts/12/?x#y` → `/posts/12`."""
    return (urlsplit(url).path.rstrip("/") or "/")[:300]


def address_fields(url: str) -> dict:
    """A checked address and what a bookmark derives from it (its page key and path)."""
    return {"url": url, "url_key": url_key(url), "path": page_path(url)}


# --- checks ---------------------------------------------------------------------------------


def _checked_title(title: str, url: str) -> str:
    title = texts.clean(title, one_line=True)
    if len(title) > BOOKMARK_TITLE_MAX_CHARS:
        raise ValidationError(
            _("The title is too long: at most %(max)d characters."),
            params={"max": BOOKMARK_TITLE_MAX_CHARS},
            code="title_too_long",
        )
    return title or normalise_url(url)[:BOOKMARK_TITLE_MAX_CHARS]


def _checked_notes(notes: str) -> str:
    notes = texts.clean(notes).strip()
    if len(notes) > BOOKMARK_NOTES_MAX_CHARS:
        raise ValidationError(
            _("The notes are too long: at most %(max)d characters."),
            params={"max": BOOKMARK_NOTES_MAX_CHARS},
            code="notes_too_long",
        )
    return notes


def _checked_tags(tags) -> list[str]:
    names = list(dict.fromkeys(normalise_tag(t) for t in tags if t and t.strip().lstrip("#")))
    if len(names) > BOOKMARK_MAX_TAGS:
        raise ValidationError(
            _("At most %(n)d tags."), params={"n": BOOKMARK_MAX_TAGS}, code="too_many_tags"
        )
    return names


def _placement(person: Person, audience: str, community: Community | None) -> dict:
    if community is not None or audience == BookmarkAudience.COMMUNITY:
        if community is None:
            raise ValidationError(_("Choose the community to share with."), code="no_community")
        if not can_post_in(person, community):
            raise PermissionDenied(_("Only members may share links with this community."))
        return {"audience": BookmarkAudience.COMMUNITY, "community": community}
    if audience not in BookmarkAudience.values:
        raise ValidationError(_("Unknown audience."), code="bad_audience")
    return {"audience": audience, "community": None}


# --- saving ---------------------------------------------------------------------------------


def _screen(person: Person, fields: dict, guard_override: str | None) -> None:
    """The share guard on the address, title and notes, for the bookmark's audience."""
    text = "\n".join((fields["url"], fields["title"], fields["notes"]))
    screen(person, text, fields["audience"], guard_override)


@transaction.atomic
def save_bookmark(
    person: Person,
    url: str,
    title: str = "",
    notes: str = "",
    *,
    tags: list[str] | tuple = (),
    audience: str = BookmarkAudience.ORGANISATION,
    community: Community | None = None,
    now: datetime | None = None,
    guard_override: str | None = None,
    classification=None,
) -> Bookmark:
    """Save a link. A page the person saved before is updated, not saved twice.

    A `javascript:`, `data:` or other non-web address is refused, as are
    over-long titles and notes and a `classification` the audience may not
    carry (a Confidential link to the whole organisation); nothing is saved then.
    """
    if not person.user.is_active:
        raise PermissionDenied(_("You may not save links."))
    url = checked_url(url)
    fields = {
        "path": page_path(url),
        "url": url,
        "title": _checked_title(title, url),
        "notes": _checked_notes(notes),
        **_placement(person, audience, community),
    }
    saved = Bookmark.objects.filter(person=person, url_key=url_key(url)).first()
    fields["classification"] = checked_level(
        classification,
        fields["audience"],
        fields["community"],
        current=saved.classification if saved else None,
    )
    _screen(person, fields, guard_override)
    tag_names = _checked_tags(tags)
    now = now or timezone.now()
    bookmark, created = Bookmark.objects.get_or_create(
        person=person,
        url_key=url_key(url),
        defaults={**fields, "created_at": now, "updated_at": now},
    )
    if not created:
        for name, value in fields.items():
            setattr(bookmark, name, value)
        bookmark.updated_at = now
        bookmark.save()
    bookmark.tags.set(get_or_create_tags(tag_names) if tag_names else [])
    return bookmark


@transaction.atomic
def edit_bookmark(
    person: Person,
    bookmark: Bookmark,
    *,
    url: str,
    title: str = "",
    notes: str = "",
    tags: list[str] | tuple = (),
    audience: str = BookmarkAudience.ORGANISATION,
    community: Community | None = None,
    guard_override: str | None = None,
    classification=None,
) -> Bookmark:
    """The owner changes a bookmark; changing its address onto another saved page is refused,
    as is a `classification` the audience may not carry (None keeps the bookmark's level)."""
    if not can_change_bookmark(person, bookmark):
        raise PermissionDenied(_("Only the person who saved this link may change it."))
    url = checked_url(url)
    key = url_key(url)
    if Bookmark.objects.filter(person=person, url_key=key).exclude(pk=bookmark.pk).exists():
        raise ValidationError(_("You have already saved this page."), code="saved_twice")
    bookmark.url, bookmark.url_key, bookmark.path = url, key, page_path(url)
    bookmark.title = _checked_title(title, url)
    bookmark.notes = _checked_notes(notes)
    placement = _placement(person, audience, community)
    bookmark.classification = checked_level(
        classification, placement["audience"], placement["community"], bookmark.classification
    )
    bookmark.audience, bookmark.community = placement["audience"], placement["community"]
    _screen(person, vars(bookmark), guard_override)
    tag_names = _checked_tags(tags)
    bookmark.updated_at = timezone.now()
    bookmark.save()
    bookmark.tags.set(get_or_create_tags(tag_names) if tag_names else [])
    return bookmark


@transaction.atomic
def delete_bookmark(person: Person, bookmark: Bookmark) -> None:
    """The owner removes a bookmark."""
    if bookmark.person_id != person.pk:
        raise PermissionDenied(_("Only the person who saved this link may delete it."))
    bookmark.delete()


# --- reading --------------------------------------------------------------------------------


#
# The one way pages and the API reach a bookmark or a community's links: these return it or
# raise `NotFound` (a 404, like a thing that does not exist); the write variant raises
# PermissionDenied for a bookmark one may see but not change.


def visible_bookmark(viewer: Person, bookmark_id: int) -> Bookmark:
    """The bookmark with this id if `viewer` may see it, else NotFound."""
    bookmark = Bookmark.objects.visible_to(viewer).for_display().filter(pk=bookmark_id).first()
    if bookmark is None:
        raise NotFound
    return bookmark


def editable_bookmark(person: Person, bookmark_id: int) -> Bookmark:
    """The bookmark if it is `person`'s to change; NotFound if they may not see it,
    PermissionDenied if they may see it but someone else saved it."""
    bookmark = visible_bookmark(person, bookmark_id)
    if not can_change_bookmark(person, bookmark):
        raise PermissionDenied(_("Only the person who saved this link may change it."))
    return bookmark


def readable_community(viewer: Person, slug: str) -> Community:
    """The community with this slug if `viewer` may read it (and the links shared with it),
    else NotFound."""
    community = visible_community(viewer, slug)
    if community is None or not can_read_community(viewer, community):
        raise NotFound
    return community


def community_to_share_with(person: Person, slug: str) -> Community:
    """The community `person` names to share a link with, or a ValidationError asking for one
    (whether they may post in it is `save_bookmark`'s and `edit_bookmark`'s to check)."""
    try:
        community = visible_community(person, slug)
    except NotFound:
        community = None
    if community is None:
        raise ValidationError(_("Choose the community to share with."), code="no_community")
    return community


def bookmarks_of(viewer: Person, person: Person):
    """The bookmarks `person` saved that `viewer` may see, newest first.

    The evidence search and expertise read ("keeps links about X"): tags prefetched.
    """
    return Bookmark.objects.visible_to(viewer).filter(person=person).for_display().newest_first()


def recent_bookmarks(viewer: Person, *, tag: str | None = None, community=None):
    """The newest bookmarks `viewer` may see; of one tag, or shared with one community."""
    bookmarks = Bookmark.objects.visible_to(viewer).for_display().newest_first()
    if tag:
        bookmarks = bookmarks.filter(tags__name=tag_key(tag))
    if community is not None:
        bookmarks = bookmarks.filter(community=community)
    return bookmarks


@dataclass
class PopularPage:
    bookmark: Bookmark  # the first save of the page, for its address and title
    saves: int
    last_saved_at: datetime
    tags: list[str] = field(default_factory=list)


def popular_in_community(viewer: Person, community: Community, limit: int = 10):
    """The pages shared with `community` most often (then most recently), as `viewer` sees them."""
    shared = Bookmark.objects.visible_to(viewer).filter(community=community)
    groups = list(
        shared.order_by()
        .values("url_key")
        .annotate(saves=Count("pk"), last=Max("created_at"))
        .order_by("-saves", "-last")[:limit]
    )
    keys = [g["url_key"] for g in groups]
    first = {}
    for bookmark in shared.filter(url_key__in=keys).for_display().order_by("created_at", "pk"):
        first.setdefault(bookmark.url_key, bookmark)
    return [
        PopularPage(first[g["url_key"]], g["saves"], g["last"])
        for g in groups
        if g["url_key"] in first
    ]


def saved_by_counts(viewer: Person, keys) -> dict[str, int]:
    """For each page key, how many colleagues saved it — counting only bookmarks `viewer`
    may see (a person saves a page once, so bookmarks are people)."""
    return _savers(viewer, "url_key", keys)


def saved_intranet_pages(viewer: Person, paths) -> dict[str, int]:
    """For each intranet path (`/wiki/…`, `/posts/12/`), how many colleagues saved a link to
    it, on whatever host name they used — counting only bookmarks `viewer` may see.

    Search uses it as a social signal: a page colleagues keep is worth finding.
    """
    wanted = {page_path(p): p for p in paths if p.startswith("/")}
    if not wanted:
        return {}
    return {wanted[path]: n for path, n in _savers(viewer, "path", wanted).items()}


def _savers(viewer: Person, column: str, values) -> dict[str, int]:
    """How many colleagues saved bookmarks with each of `values` in `column`, as `viewer`
    may see them."""
    rows = (
        Bookmark.objects.visible_to(viewer)
        .filter(**{f"{column}__in": list(values)})
        .order_by()
        .values(column)
        .annotate(n=Count("person", distinct=True))
    )
    return {row[column]: row["n"] for row in rows}


def annotate_saved_by(viewer: Person, bookmarks) -> list[Bookmark]:
    """`bookmarks` as a list, each with `saved_by` (visible saves of its page)."""
    bookmarks = list(bookmarks)
    counts = saved_by_counts(viewer, {b.url_key for b in bookmarks})
    for bookmark in bookmarks:
        bookmark.saved_by = counts.get(bookmark.url_key, 0)
    return bookmarks


def who_else_saved(viewer: Person, url: str):
    """The bookmarks of the same page by others than `viewer`, that `viewer` may see."""
    return (
        Bookmark.objects.visible_to(viewer)
        .filter(url_key=url_key(checked_url(url)))
        .exclude(person=viewer)
        .for_display()
        .newest_first()
    )


def tags_of_bookmarks(viewer: Person, person: Person | None = None, limit: int = 30):
    """The tags most used on bookmarks `viewer` may see (of one person's, if given)."""
    visible = Bookmark.objects.visible_to(viewer)
    if person is not None:
        visible = visible.filter(person=person)
    return (
        Tag.objects.filter(bookmarks__in=visible.values("pk"))
        .annotate(n=Count("bookmarks"))
        .order_by("-n", "name")[:limit]
    )


# --- import and export ----------------------------------------------------------------------


@dataclass
class ImportReport:
    saved: int = 0
    already_saved: int = 0
    # (line, address) of links that are not web pages (bookmarklets, `place:`, `file:`)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _file_error(line: int, message: str) -> ValidationError:
    return ValidationError(
        _("Line %(line)d: %(problem)s Nothing was imported."),
        params={"line": line, "problem": message},
        code="bad_file",
    )


@transaction.atomic
def import_bookmarks(
    person: Person,
    content: bytes | str,
    *,
    audience: str = BookmarkAudience.PRIVATE,
    community: Community | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import a Netscape bookmark file (what every browser exports), all or nothing.

    Folders become tags. Imported links are private unless another audience is
    chosen (a link the file marks PRIVATE stays private). A page already saved
    is left as it is; links that are not web pages (bookmarklets, `place:`
    queries) are skipped and listed. Anything else wrong
    — the file's shape, a bad date, an over-long note — is refused with its line,
    and nothing is imported.
    """
    if not person.user.is_active:
        raise PermissionDenied(_("You may not save links."))
    if len(content) > BOOKMARK_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is too big: at most %(mb)d MB."),
            params={"mb": BOOKMARK_IMPORT_MAX_BYTES // (1024 * 1024)},
            code="file_too_big",
        )
    try:
        links = netscape.read(content)
    except netscape.BookmarkFileError as error:
        raise _file_error(error.line, error.message) from None
    if len(links) > BOOKMARK_IMPORT_MAX_LINKS:
        raise ValidationError(
            _("The file has %(n)d links; at most %(max)d can be imported at once."),
            params={"n": len(links), "max": BOOKMARK_IMPORT_MAX_LINKS},
            code="too_many_links",
        )
    placement = _placement(person, audience, community)
    now = now or timezone.now()
    report, rows, seen = (
        ImportReport(),
        [],
        set(Bookmark.objects.filter(person=person).values_list("url_key", flat=True)),
    )
    for link in links:
        try:
            url = checked_url(link.url)
        except ValidationError as error:
            if error.code == "not_web":
                report.skipped.append((link.line, link.url[:100]))
                continue
            raise _file_error(link.line, " ".join(error.messages)) from None
        key = url_key(url)
        if key in seen:
            report.already_saved += 1
            continue
        seen.add(key)
        # A file a browser wrote, not text typed here: direction controls are dropped, not
        # refused (a right-to-left page's title may carry them).
        title, notes = (texts.without_direction_controls(t) for t in (link.title, link.notes))
        try:
            title, notes = _checked_title(title, url), _checked_notes(notes)
        except ValidationError as error:
            raise _file_error(link.line, " ".join(error.messages)) from None
        when = link.added_at or now
        # A link the file marks private stays private, whatever the import's audience.
        where = (
            {"audience": BookmarkAudience.PRIVATE, "community": None} if link.private else placement
        )
        bookmark = Bookmark(
            person=person, **address_fields(url), title=title, notes=notes, created_at=when,
            updated_at=when, **where,
        )  # fmt: skip
        rows.append((bookmark, link.tags[:BOOKMARK_MAX_TAGS]))
    _write_imported(rows)
    report.saved = len(rows)
    return report


def _write_imported(rows: list[tuple[Bookmark, list[str]]]) -> None:
    created = Bookmark.objects.bulk_create([b for b, _tags in rows], batch_size=1000)
    names = sorted({t for _b, tags in rows for t in tags})
    tag_ids = {t.name: t.pk for t in get_or_create_tags(names)} if names else {}
    Through = Bookmark.tags.through
    Through.objects.bulk_create(
        [
            Through(bookmark_id=bookmark.pk, tag_id=tag_ids[name])
            for bookmark, (_b, tags) in zip(created, rows, strict=True)
            for name in dict.fromkeys(tags)
        ],
        batch_size=2000,
    )


def export_bookmarks(person: Person) -> str:
    """`person`'s bookmarks as a Netscape bookmark file (tags in TAGS, notes in DD)."""
    links = [
        netscape.FileLink(
            line=0,
            url=b.url,
            title=b.title,
            notes=b.notes,
            tags=[t.name for t in b.tags.all()],
            added_at=b.created_at,
            private=b.audience == BookmarkAudience.PRIVATE,
        )
        for b in bookmarks_of(person, person)
    ]
    return netscape.write(links, title=_("Bookmarks of %(name)s") % {"name": person.name})
