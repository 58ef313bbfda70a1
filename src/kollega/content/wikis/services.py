"""Wiki rules: creating and editing pages, history, restoring, watching, reading.

Every change is a new Revision, saved in one transaction with the page. An edit
names the revision it started from; if the page has moved on since, the edit is
refused with an `EditConflict` carrying both versions and an automatic merge,
and nothing is saved — so two people editing at once never lose text.

Reads for other apps (search, expertise): `edits_by(person, viewer)` lists a
person's revisions that a viewer may see, newest first.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kollega import texts
from kollega.communities.models import Community
from kollega.content.wikis import diffs, links
from kollega.content.wikis.models import Attachment, Page, Revision, Watch, wiki_url
from kollega.guard.services import screen
from kollega.limits import (
    WIKI_BODY_MAX_BYTES,
    WIKI_MAX_LEVELS,
    WIKI_SUMMARY_MAX_CHARS,
    WIKI_TITLE_MAX_CHARS,
)
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.permissions.classification import checked_level
from kollega.permissions.wikis import (
    can_edit_wiki,
    can_read_page,
    can_read_wiki,
    readable_pages_filter,
    readers_of,
)


class EditConflict(Exception):
    """Someone saved the page after the revision this edit started from.

    Carries everything a person needs to merge: the revision the edit was based
    on, the page's current revision (theirs), my title and text, and the
    automatic three-way merge of the texts."""

    def __init__(self, page: Page, base: Revision | None, mine_title: str, mine_body: str):
        self.page = page
        self.base = base
        self.theirs = page.current_revision
        self.mine_title = mine_title
        self.mine_body = mine_body
        label = _("revision %(number)s") % {"number": self.theirs.number}
        self.merge = diffs.merge_texts(
            base.body if base else "", mine_body, self.theirs.body, theirs_label=label
        )
        self.diff = diffs.diff_lines(self.theirs.body, mine_body)
        super().__init__(_("Someone saved this page while you were editing it."))


@dataclass
class Wiki:
    """The organisation's wiki (community None) or a community's: a name and its URLs."""

    community: Community | None

    @property
    def name(self) -> str:
        if self.community is None:
            return _("Organisation wiki")
        return _("%(community)s wiki") % {"community": self.community.name}

    def get_absolute_url(self) -> str:
        return wiki_url("wiki_home", self.community)

    @property
    def new_page_url(self) -> str:
        return wiki_url("wiki_new_page", self.community)

    def pages(self):
        return Page.objects.in_wiki(self.community)


# --- checks ---------------------------------------------------------------------------------


def _require_editor(person: Person, community: Community | None) -> None:
    if not can_edit_wiki(person, community):
        raise PermissionDenied(_("Only members of the community may edit its wiki."))


def _checked_title(title: str, community: Community | None, exclude: int | None = None) -> str:
    title = texts.clean(title, one_line=True, field="title")
    if not title:
        raise ValidationError({"title": _("A page needs a title.")})
    if len(title) > WIKI_TITLE_MAX_CHARS:
        raise ValidationError(
            {"title": _("A title has at most %(max)s characters.") % {"max": WIKI_TITLE_MAX_CHARS}}
        )
    if "[" in title or "]" in title or "|" in title:
        raise ValidationError({"title": _("A title may not contain [, ] or |.")})
    taken = Page.objects.in_wiki(community).filter(title__iexact=title)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"title": _title_taken(title)})
    return title


def _title_taken(title: str) -> str:
    return _("There is already a page called “%(title)s” in this wiki.") % {"title": title}


def _checked_body(body: str) -> str:
    body = texts.clean(body, markdown=True, field="body").replace("\r\n", "\n")
    size = len(body.encode("utf-8"))
    if size > WIKI_BODY_MAX_BYTES:
        raise ValidationError(
            {
                "body": _("The text is %(size)s KB; a page may hold at most %(max)s KB.")
                % {"size": size // 1024, "max": WIKI_BODY_MAX_BYTES // 1024}
            }
        )
    if diffs.has_conflict_markers(body):
        raise ValidationError(
            {"body": _("The text still holds a marked conflict (<<<<<<<). Resolve it first.")}
        )
    return body


def _checked_summary(summary: str) -> str:
    summary = texts.clean(summary, one_line=True, field="summary")
    if len(summary) > WIKI_SUMMARY_MAX_CHARS:
        raise ValidationError(
            {
                "summary": _("A summary has at most %(max)s characters.")
                % {"max": WIKI_SUMMARY_MAX_CHARS}
            }
        )
    return summary


def _checked_parent(page: Page | None, parent: Page | None, community: Community | None):
    """The parent must be in the same wiki, and never the page itself or below it."""
    if parent is None:
        return None
    if parent.community_id != (community.pk if community else None):
        raise ValidationError({"parent": _("The parent page must be in the same wiki.")})
    ancestor, depth = parent, 0
    while ancestor is not None:
        if page is not None and ancestor.pk == page.pk:
            raise ValidationError(
                {"parent": _("A page cannot be placed under itself or one of its own subpages.")}
            )
        depth += 1
        ancestor = ancestor.parent
    if depth >= WIKI_MAX_LEVELS:
        raise ValidationError(
            {"parent": _("Pages nest at most %(max)s levels deep.") % {"max": WIKI_MAX_LEVELS}}
        )
    return parent


def _unique_slug(title: str, community: Community | None) -> str:
    base = slugify(title)[:200] or "page"
    taken = set(
        Page.objects.in_wiki(community).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or slug in ("new",):
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- writing --------------------------------------------------------------------------------


def _locked(page: Page) -> Page:
    """The page, row-locked until the transaction ends, with its newest revision.

    The lock serialises concurrent saves of one page (SQLite's IMMEDIATE transactions
    do the same for the whole database). The revision is read by a second query on
    purpose: on PostgreSQL a statement that waited for the lock still sees the other
    tables as they were when it started, so a join would miss the revision the other
    save just wrote."""
    locked = Page.objects.select_for_update().get(pk=page.pk)
    locked.current_revision = Revision.objects.filter(pk=locked.current_revision_id).first()
    return locked


def _new_revision(page: Page, author: Person, summary: str, restored_from=None) -> Revision:
    last = page.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = Revision.objects.create(
        page=page,
        number=last + 1,
        author=author,
        title=page.title,
        body=page.body,
        summary=summary,
        restored_from=restored_from,
    )
    page.current_revision = revision
    page.updated_at = revision.created_at
    page.save(update_fields=["current_revision", "updated_at"])
    return revision


def _wiki_audience(community: Community | None) -> str:
    """Who a wiki page is for, in the share guard's terms."""
    return "organisation" if community is None else "community"


def create_page(
    person: Person,
    community: Community | None,
    title: str,
    body: str = "",
    *,
    parent: Page | None = None,
    summary: str = "",
    guard_override: str | None = None,
    classification=None,
) -> Page:
    """Write a new page in the organisation's wiki (community None) or a community's.

    Its first revision is saved with it, and the author watches it. Its
    `classification` (None: the community's, else Internal) must fit the wiki's
    audience: the organisation's wiki takes Open and Internal pages only."""
    _require_editor(person, community)
    level = checked_level(classification, _wiki_audience(community), community)
    body = _checked_body(body)
    summary = _checked_summary(summary)
    screen(person, f"{title}\n{body}\n{summary}", _wiki_audience(community), guard_override)
    try:
        with transaction.atomic():
            title = _checked_title(title, community)
            parent = _checked_parent(None, parent, community)
            page = Page.objects.create(
                community=community,
                parent=parent,
                title=title,
                slug=_unique_slug(title, community),
                body=body,
                classification=level,
                created_by=person,
            )
            _new_revision(page, person, summary or _("Page created"))
            watch_page(person, page)
    except IntegrityError as error:
        # Two people creating the same title at the same moment: the second is told.
        raise ValidationError({"title": _title_taken(title)}) from error
    return page


def edit_page(
    person: Person,
    page: Page,
    *,
    base_revision: int | None,
    title: str | None = None,
    body: str | None = None,
    parent: Page | None | bool = False,
    summary: str = "",
    guard_override: str | None = None,
    classification=None,
) -> Revision:
    """Save a new revision of `page`, started from revision number `base_revision`.

    `title`, `body` or `parent` left out (None, or False for parent) stay as they
    are; parent None moves the page to the top. If the page has a newer revision
    than `base_revision`, raises EditConflict and saves nothing. Saving the same
    text again adds no revision. The editor watches the page from now on, and the
    other watchers are notified. `classification` None keeps the page's level; a
    level the wiki's audience may not carry is refused."""
    _require_editor(person, page.community)
    level = checked_level(
        classification, _wiki_audience(page.community), page.community, page.classification
    )
    if base_revision is None:
        raise ValidationError({"base_revision": _("Say which revision your edit started from.")})
    new_body = _checked_body(page.body if body is None else body)
    summary = _checked_summary(summary)
    if body is not None or title is not None or summary:
        text = f"{title or ''}\n{new_body if body is not None else ''}\n{summary}"
        screen(person, text, _wiki_audience(page.community), guard_override)
    with transaction.atomic():
        locked = _locked(page)
        current = locked.current_revision
        if current is None or current.number != base_revision:
            base = locked.revisions.filter(number=base_revision).first()
            raise EditConflict(locked, base, title if title is not None else locked.title, new_body)
        new_title = (
            locked.title
            if title is None
            else _checked_title(title, locked.community, exclude=locked.pk)
        )
        new_parent = (
            locked.parent if parent is False else _checked_parent(locked, parent, locked.community)
        )
        if (new_title, new_body, getattr(new_parent, "pk", None), level) == (
            locked.title,
            locked.body,
            locked.parent_id,
            locked.classification,
        ):
            return current
        locked.title, locked.body, locked.parent = new_title, new_body, new_parent
        locked.classification = level
        locked.save(update_fields=["title", "body", "parent", "classification"])
        revision = _new_revision(locked, person, summary)
        watch_page(person, locked)
        _tell_watchers(person, locked)
    page.refresh_from_db()
    return revision


def restore_revision(person: Person, revision: Revision, summary: str = "") -> Revision:
    """Make an old revision's title and text the page's newest revision (nothing is lost:
    the revisions in between stay in the history)."""
    page = revision.page
    _require_editor(person, page.community)
    if not summary:
        summary = _("Restored revision %(number)s") % {"number": revision.number}
    with transaction.atomic():
        locked = _locked(page)
        title = _checked_title(revision.title, locked.community, exclude=locked.pk)
        locked.title, locked.body = title, revision.body
        locked.save(update_fields=["title", "body"])
        new = _new_revision(locked, person, _checked_summary(summary), restored_from=revision)
        watch_page(person, locked)
        _tell_watchers(person, locked)
    return new


def watch_page(person: Person, page: Page) -> bool:
    """Watch a page (be told when someone else changes it); True if newly watching."""
    if not can_read_page(person, page):
        raise PermissionDenied
    _watch, created = Watch.objects.get_or_create(page=page, person=person)
    return created


def unwatch_page(person: Person, page: Page) -> bool:
    """Stop watching a page; True if one was watching."""
    return bool(Watch.objects.filter(page=page, person=person).delete()[0])


def is_watching(person: Person, page: Page) -> bool:
    return Watch.objects.filter(page=page, person=person).exists()


def _tell_watchers(actor: Person, page: Page) -> None:
    """Every watcher who may still read the page hears that `actor` changed it."""
    watchers = readers_of(page).filter(pk__in=page.watches.values("person_id"))
    for watcher in watchers.select_related("user"):
        notify(watcher, Notification.Kind.WIKI_PAGE_CHANGED, actor, wiki_page=page)


# --- reading --------------------------------------------------------------------------------


# The one way pages and the API reach a wiki, a page, a revision or an attachment: these
# return it or raise `NotFound` (a 404, like a thing that does not exist).


def visible_wiki(person: Person, community_slug: str | None = None) -> Wiki:
    """The organisation's wiki (no slug) or the wiki of the community with this slug, if
    `person` may read it; else NotFound."""
    community = None
    if community_slug:
        community = Community.objects.filter(slug=community_slug).first()
        if community is None:
            raise NotFound
    if not can_read_wiki(person, community):
        raise NotFound
    return Wiki(community)


def editable_wiki(person: Person, community_slug: str | None = None) -> Wiki:
    """`visible_wiki`, for writing a page in it: PermissionDenied for a reader who may not edit."""
    wiki = visible_wiki(person, community_slug)
    _require_editor(person, wiki.community)
    return wiki


def _readable(person: Person, pages):
    return pages.filter(readable_pages_filter(person)).select_related(
        "community", "current_revision__author__user", "parent"
    )


def visible_page(person: Person, community: Community | None, slug: str) -> Page:
    """The page with `slug` in that wiki if `person` may read it, else NotFound."""
    page = _readable(person, Page.objects.in_wiki(community)).filter(slug=slug).first()
    if page is None:
        raise NotFound
    return page


def editable_page(person: Person, community: Community | None, slug: str) -> Page:
    """`visible_page`, for editing: PermissionDenied for a reader who may not edit it."""
    page = visible_page(person, community, slug)
    _require_editor(person, page.community)
    return page


def visible_page_by_id(person: Person, page_id: int) -> Page:
    """The page with this id if `person` may read it, else NotFound."""
    page = _readable(person, Page.objects.all()).filter(pk=page_id).first()
    if page is None:
        raise NotFound
    return page


def visible_revision(person: Person, page: Page, number: int) -> Revision:
    """Revision `number` of `page` if `person` may read the page, else NotFound."""
    revision = None
    if can_read_page(person, page):
        revision = revision_of(page, number)
    if revision is None:
        raise NotFound
    return revision


def visible_attachment(person: Person, page: Page, attachment_id: int) -> Attachment:
    """An image attached to `page` if `person` may read the page, else NotFound."""
    found = (
        page.attachments.filter(pk=attachment_id).first() if can_read_page(person, page) else None
    )
    if found is None:
        raise NotFound
    return found


def page_in_wiki(community: Community | None, page_id: int | None) -> Page | None:
    """The page with this id in that wiki (a parent to place a page under), or None."""
    if page_id is None:
        return None
    return Page.objects.in_wiki(community).filter(pk=page_id).first()


def _in_wiki(community: Community | None, viewer: Person | None):
    """The pages of a wiki; those `viewer` may read when a viewer is given (a wiki may hold
    pages classified above what its audience may carry, read by fewer people)."""
    pages = Page.objects.in_wiki(community)
    return pages if viewer is None else pages.filter(readable_pages_filter(viewer))


def pages_by_title(community: Community | None, viewer: Person | None = None):
    """Every page of a wiki (that `viewer` may read), by title."""
    pages = _in_wiki(community, viewer).select_related("community", "current_revision")
    return pages.order_by("title")


def history_of(page: Page):
    """Every revision of `page`, newest first."""
    return page.revisions.select_related("author__user", "restored_from")


def page_tree(community: Community | None, viewer: Person | None = None) -> list[tuple[Page, int]]:
    """Every page of a wiki (that `viewer` may read) as (page, depth), parents first, siblings
    by title; a page whose parent `viewer` may not read stands at the top."""
    pages = list(
        _in_wiki(community, viewer).only("id", "title", "slug", "parent_id", "community_id")
    )
    ids = {page.pk for page in pages}
    children: dict[int | None, list[Page]] = {}
    for page in pages:
        children.setdefault(page.parent_id if page.parent_id in ids else None, []).append(page)
    out: list[tuple[Page, int]] = []

    def walk(parent_id, depth):
        for page in sorted(children.get(parent_id, []), key=lambda p: p.title.lower()):
            out.append((page, depth))
            walk(page.pk, depth + 1)

    walk(None, 0)
    return out


def ancestors(page: Page) -> list[Page]:
    """The pages above `page`, from the top down."""
    out, parent = [], page.parent
    while parent is not None and len(out) < WIKI_MAX_LEVELS:
        out.insert(0, parent)
        parent = parent.parent
    return out


def render_body(person: Person, community: Community | None, body: str, page=None) -> str:
    """`body` as safe HTML with its [[links]] resolved in that wiki; a missing page is a
    "create" link (a subpage of `page`) for someone who may write in the wiki."""
    titles = links.linked_titles(body)
    found = {}
    if titles:
        query = Q()
        for title in titles:
            query |= Q(title__iexact=title)
        found = {p.title.lower(): p for p in _in_wiki(community, person).filter(query)}
    new_url = None
    if can_edit_wiki(person, community):
        new_url = wiki_url("wiki_new_page", community)
        if page is not None:
            new_url += f"?parent={page.pk}"
    return links.render_page(body, found, new_url)


def revision_of(page: Page, number: int) -> Revision | None:
    return page.revisions.select_related("author__user").filter(number=number).first()


def compare(page: Page, old_number: int, new_number: int) -> dict:
    """The differences between two revisions of `page` (title and text), or ValidationError."""
    old, new = revision_of(page, old_number), revision_of(page, new_number)
    if old is None or new is None:
        raise ValidationError(_("Choose two revisions of this page to compare."))
    lines = diffs.diff_lines(old.body, new.body)
    added, removed = diffs.diff_counts(lines)
    return {
        "old": old,
        "new": new,
        "lines": lines,
        "added": added,
        "removed": removed,
        "title_changed": old.title != new.title,
    }


def edits_by(person: Person, viewer: Person | None = None):
    """The revisions `person` saved, newest first (for search and expertise).

    With a `viewer`, only revisions of pages the viewer may read; without one,
    all of them (for indexers that apply the permission filter at query time)."""
    revisions = Revision.objects.filter(author=person).select_related("page__community")
    if viewer is not None:
        revisions = revisions.filter(readable_pages_filter(viewer, prefix="page__"))
    return revisions.order_by("-created_at", "-id")


def recent_changes(community: Community | None, limit: int = 10, viewer: Person | None = None):
    """The newest revisions in a wiki (of the pages `viewer` may read)."""
    return (
        Revision.objects.filter(page__in=_in_wiki(community, viewer))
        .select_related("page__community", "author__user")
        .order_by("-created_at", "-id")[:limit]
    )
