"""API: wiki pages, their revisions, diffs and restoring.

Pages are addressed by id; a list names its wiki with `community` (a slug; the
organisation's wiki when left out). Every read goes through
`permissions.wikis`: a page the caller may not read answers 404, like one that
does not exist, and so do its revisions, diffs and attachments.

Editing needs `base_revision`, the revision number the edit started from; if
the page has moved on, the answer is 409 with both versions and a merge.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kollega.api.schemas import (
    ClassificationName,
    Classified,
    OffsetPage,
    OffsetParams,
    PersonRef,
    absolute_url,
    classification_in,
    offset_page,
)
from kollega.api.schemas import responses as documented
from kollega.audit.services import record_opened
from kollega.content.wikis import services
from kollega.content.wikis.models import Page

router = Router()


class PageIn(Schema):
    title: str
    body: str = Field("", description="Markdown; link pages with [[Page name]]. At most 500 KB.")
    community: str | None = Field(
        None, description="The community's slug; the organisation's wiki when left out."
    )
    parent_id: int | None = Field(None, description="The page to place it under.")
    summary: str = ""
    classification: ClassificationName | None = classification_in()


class PageEdit(Schema):
    base_revision: int = Field(description="The revision number the edit started from.")
    title: str | None = Field(None, description="Left out: unchanged.")
    body: str | None = Field(None, description="Left out: unchanged.")
    parent_id: int | None = Field(
        None, description="The new parent page; 0 for the top of the wiki; left out: unchanged."
    )
    summary: str = Field("", description="What changed, in a few words.")
    classification: ClassificationName | None = classification_in("unchanged")


class PageSummary(Classified):
    id: int
    title: str
    slug: str
    community: str | None
    parent_id: int | None
    revision: int
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.community.slug if obj.community_id else None

    @staticmethod
    def resolve_revision(obj) -> int:
        return obj.current_revision.number

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class PageOut(PageSummary):
    body: str
    body_html: str = Field(description="Rendered and sanitised, [[links]] resolved.")
    last_author: PersonRef | None
    attachments: list[str] = Field(description="URLs of the attached images.")

    @staticmethod
    def resolve_body_html(obj, context) -> str:
        return services.render_body(context["request"].auth, obj.community, obj.body, page=obj)

    @staticmethod
    def resolve_last_author(obj):
        return obj.current_revision.author

    @staticmethod
    def resolve_attachments(obj, context) -> list[str]:
        return [absolute_url(context, a.get_absolute_url()) for a in obj.attachments.all()]


class RevisionOut(Schema):
    number: int
    page_id: int
    title: str
    body: str
    summary: str
    author: PersonRef | None
    created_at: datetime
    restored_from: int | None = Field(description="The revision number this one restored.")

    @staticmethod
    def resolve_restored_from(obj) -> int | None:
        return obj.restored_from.number if obj.restored_from_id else None


class DiffLineOut(Schema):
    kind: str = Field(description="equal, insert, delete, or skip (unchanged lines left out).")
    text: str
    old_number: int | None
    new_number: int | None


class DiffOut(Schema):
    old: int
    new: int
    title_changed: bool
    added: int
    removed: int
    lines: list[DiffLineOut]


class MineOut(Schema):
    title: str
    body: str


class MergeOut(Schema):
    body: str = Field(description="Both sets of changes; conflicts between <<<<<<< and >>>>>>>.")
    conflicts: int


class ConflictOut(Schema):
    detail: str
    base_revision: RevisionOut | None
    current: RevisionOut = Field(description="Their version: the page's newest revision.")
    yours: MineOut
    diff: list[DiffLineOut] = Field(description="From their text to yours.")
    merged: MergeOut


class PageParams(OffsetParams):
    community: str | None = Field(None, description="A community's slug; else the organisation.")


def _parent(page_community, parent_id: int | None) -> Page | None:
    if not parent_id:
        return None
    parent = services.page_in_wiki(page_community, parent_id)
    if parent is None:
        raise ValidationError({"parent_id": _("There is no such page in this wiki.")})
    return parent


@router.get("/wiki/pages", response=documented({200: OffsetPage[PageSummary]}, 400, 404))
def list_wiki_pages(request, params: Query[PageParams]):
    """The pages of a wiki by title: the organisation's, or a community's (`community`)."""
    community = services.visible_wiki(request.auth, params.community).community
    return offset_page(services.pages_by_title(community, request.auth), params)


@router.post("/wiki/pages", response=documented({201: PageOut}, 400, 403, 404))
def create_wiki_page(request, payload: PageIn):
    """Write a new page (members only in a community's wiki)."""
    community = services.visible_wiki(request.auth, payload.community).community
    page = services.create_page(
        request.auth,
        community,
        payload.title,
        payload.body,
        parent=_parent(community, payload.parent_id),
        summary=payload.summary,
        classification=payload.classification,
    )
    return Status(201, services.visible_page_by_id(request.auth, page.pk))


@router.get("/wiki/pages/{page_id}", response=documented({200: PageOut}, 404))
def get_wiki_page(request, page_id: int):
    """One page as it reads now."""
    page = services.visible_page_by_id(request.auth, page_id)
    record_opened(request.auth, page, request)
    return page


@router.patch(
    "/wiki/pages/{page_id}", response=documented({200: PageOut, 409: ConflictOut}, 400, 403, 404)
)
def edit_wiki_page(request, page_id: int, payload: PageEdit):
    """Save a new revision, started from `base_revision`.

    If someone saved since, nothing is saved: 409 with the base revision, their
    current revision, your title and text, a diff from theirs to yours and a
    three-way merge. Merge, then send again with the current revision's number."""
    page = services.visible_page_by_id(request.auth, page_id)
    parent = False if payload.parent_id is None else _parent(page.community, payload.parent_id)
    try:
        services.edit_page(
            request.auth,
            page,
            base_revision=payload.base_revision,
            title=payload.title,
            body=payload.body,
            parent=parent,
            summary=payload.summary,
            classification=payload.classification,
        )
    except services.EditConflict as conflict:
        return Status(
            409,
            {
                "detail": str(conflict),
                "base_revision": conflict.base,
                "current": conflict.theirs,
                "yours": {"title": conflict.mine_title, "body": conflict.mine_body},
                "diff": conflict.diff,
                "merged": {"body": conflict.merge.text, "conflicts": conflict.merge.conflicts},
            },
        )
    return services.visible_page_by_id(request.auth, page_id)


@router.get(
    "/wiki/pages/{page_id}/revisions",
    response=documented({200: OffsetPage[RevisionOut]}, 400, 404),
)
def list_wiki_revisions(request, page_id: int, params: Query[OffsetParams]):
    """A page's revisions, newest first."""
    page = services.visible_page_by_id(request.auth, page_id)
    return offset_page(services.history_of(page), params)


@router.get(
    "/wiki/pages/{page_id}/revisions/{number}", response=documented({200: RevisionOut}, 404)
)
def get_wiki_revision(request, page_id: int, number: int):
    """One revision of a page."""
    page = services.visible_page_by_id(request.auth, page_id)
    return services.visible_revision(request.auth, page, number)


class DiffParams(Schema):
    old: int = Field(alias="from", description="The older revision number.")
    new: int = Field(alias="to", description="The newer revision number.")


@router.get("/wiki/pages/{page_id}/diff", response=documented({200: DiffOut}, 400, 404))
def diff_wiki_revisions(request, page_id: int, params: Query[DiffParams]):
    """The line differences between two revisions (`from` and `to`)."""
    page = services.visible_page_by_id(request.auth, page_id)
    comparison = services.compare(page, params.old, params.new)
    return {
        "old": comparison["old"].number,
        "new": comparison["new"].number,
        "title_changed": comparison["title_changed"],
        "added": comparison["added"],
        "removed": comparison["removed"],
        "lines": comparison["lines"],
    }


@router.post(
    "/wiki/pages/{page_id}/revisions/{number}/restore",
    response=documented({201: RevisionOut}, 400, 403, 404),
)
def restore_wiki_revision(request, page_id: int, number: int):
    """Make an old revision the newest one again (as a new revision)."""
    page = services.visible_page_by_id(request.auth, page_id)
    revision = services.visible_revision(request.auth, page, number)
    return Status(201, services.restore_revision(request.auth, revision))
