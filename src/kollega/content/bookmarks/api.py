"""API: bookmarks — list, save, edit, delete, who else saved a page, import and export.

Every read goes through `permissions.bookmarks`: a bookmark the caller may
not see answers 404, like one that does not exist, and is never counted in
`saved_by`.
"""

from datetime import datetime

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from kollega.api.lookups import person_or_404
from kollega.api.schemas import (
    ClassificationName,
    Classified,
    OffsetPage,
    OffsetParams,
    PersonRef,
    absolute_url,
    choice_of,
    classification_in,
    offset_page,
    responses,
)
from kollega.audit.services import record_opened
from kollega.content.bookmarks import services
from kollega.content.bookmarks.models import Bookmark, BookmarkAudience

router = Router()

AudienceIn = choice_of(BookmarkAudience)


class BookmarkIn(Schema):
    url: str = Field(description="An http:// or https:// address; others are refused (400).")
    title: str = ""
    notes: str = ""
    tags: list[str] = Field(default_factory=list)
    audience: AudienceIn = Field(
        "organisation",
        description="private: only me; network: my contacts; organisation: every colleague; "
        "community: the members of `community` (or everyone, for an open one).",
    )
    community: str | None = Field(None, description="A community's slug, for `community`.")
    classification: ClassificationName | None = classification_in(
        "the community's level, else internal; when changing, as it is"
    )


class BookmarkOut(Classified):
    id: int
    url: str
    title: str
    notes: str
    tags: list[str]
    person: PersonRef
    audience: choice_of(BookmarkAudience)
    community: str | None
    created_at: datetime
    updated_at: datetime
    saved_by: int = Field(description="How many colleagues saved this page, as the caller sees.")
    page_url: str = Field(description="The bookmark's page in the intranet.")
    punycode_host: str = Field(
        description="The host in ASCII (IDNA, `xn--pple-43d.com`) when the address's host has "
        "letters outside ASCII, so look-alike letters show; else empty."
    )

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.community.slug if obj.community_id else None

    @staticmethod
    def resolve_saved_by(obj) -> int:
        return getattr(obj, "saved_by", 0)

    @staticmethod
    def resolve_page_url(obj, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class BookmarkParams(OffsetParams):
    person: str | None = Field(None, description="Only this colleague's bookmarks.")
    community: str | None = Field(None, description="Only those shared with this community.")
    tag: str | None = None


class SavedByOut(Schema):
    url: str
    saved_by: int = Field(description="Colleagues who saved the page, the caller included.")
    others: list[BookmarkOut] = Field(description="Their bookmarks, the caller's excluded.")


class ImportOut(Schema):
    saved: int
    already_saved: int
    skipped_lines: list[int] = Field(description="Lines of links that are not web pages.")


def _page(viewer, bookmarks, params: OffsetParams) -> dict:
    page = offset_page(bookmarks, params)
    page["items"] = services.annotate_saved_by(viewer, page["items"])
    return page


def _bookmark_or_404(viewer, bookmark_id: int) -> Bookmark:
    bookmark = services.visible_bookmark(viewer, bookmark_id)
    return services.annotate_saved_by(viewer, [bookmark])[0]


def _community(viewer, slug: str | None):
    if not slug:
        return None
    return services.readable_community(viewer, slug)


@router.get("/bookmarks", response=responses({200: OffsetPage[BookmarkOut]}, 400, 404))
def list_bookmarks(request, params: Query[BookmarkParams]):
    """The bookmarks the caller may see, newest first; of a `person`, `community` or `tag`."""
    viewer = request.auth
    community = _community(viewer, params.community)
    bookmarks = services.recent_bookmarks(viewer, tag=params.tag, community=community)
    if params.person:
        bookmarks = bookmarks.filter(person=person_or_404(params.person))
    return _page(viewer, bookmarks, params)


@router.post("/bookmarks", response=responses({201: BookmarkOut}, 400, 403, 404))
def save_bookmark(request, payload: BookmarkIn):
    """Save a link (a page saved before is updated, not saved twice)."""
    bookmark = services.save_bookmark(
        request.auth,
        payload.url,
        payload.title,
        payload.notes,
        tags=payload.tags,
        audience=payload.audience,
        community=_community(request.auth, payload.community),
        classification=payload.classification,
    )
    return Status(201, _bookmark_or_404(request.auth, bookmark.pk))


@router.get("/bookmarks/saved-by", response=responses({200: SavedByOut}, 400))
def who_else_saved(request, url: str):
    """Who else saved the page at `url` (any spelling of it) — only bookmarks the caller may see."""
    others = services.annotate_saved_by(request.auth, services.who_else_saved(request.auth, url))
    key = services.url_key(services.checked_url(url))
    count = services.saved_by_counts(request.auth, [key]).get(key, 0)
    return {"url": url, "saved_by": count, "others": others}


@router.get(
    "/bookmarks/export",
    response=responses({200: None}),
    openapi_extra={
        "responses": {
            200: {
                "description": "A Netscape bookmark file.",
                "content": {"text/html": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_bookmarks(request):
    """The caller's bookmarks as a Netscape bookmark file (HTML), for any browser to import."""
    response = HttpResponse(
        services.export_bookmarks(request.auth), content_type="text/html; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="kollega-bookmarks.html"'
    return response


@router.post("/bookmarks/import", response=responses({201: ImportOut}, 400, 403, 404))
def import_bookmarks(
    request,
    file: File[UploadedFile],
    audience: Form[AudienceIn] = "private",
    community: Form[str] = "",
):
    """Import a Netscape bookmark file (multipart `file`): all of it, or nothing (400 naming
    the line). Links are private unless `audience` says otherwise."""
    report = services.import_bookmarks(
        request.auth,
        file.read(),
        audience=audience,
        community=_community(request.auth, community or None),
    )
    return Status(
        201,
        {
            "saved": report.saved,
            "already_saved": report.already_saved,
            "skipped_lines": [line for line, _url in report.skipped],
        },
    )


@router.get("/bookmarks/{bookmark_id}", response=responses({200: BookmarkOut}, 404))
def get_bookmark(request, bookmark_id: int):
    """One bookmark, if the caller may see it."""
    bookmark = _bookmark_or_404(request.auth, bookmark_id)
    record_opened(request.auth, bookmark, request)
    return bookmark


@router.put("/bookmarks/{bookmark_id}", response=responses({200: BookmarkOut}, 400, 403, 404))
def edit_bookmark(request, bookmark_id: int, payload: BookmarkIn):
    """The owner changes a bookmark (every field, as when saving)."""
    bookmark = _bookmark_or_404(request.auth, bookmark_id)
    services.edit_bookmark(
        request.auth,
        bookmark,
        url=payload.url,
        title=payload.title,
        notes=payload.notes,
        tags=payload.tags,
        audience=payload.audience,
        community=_community(request.auth, payload.community),
        classification=payload.classification,
    )
    return _bookmark_or_404(request.auth, bookmark_id)


@router.delete("/bookmarks/{bookmark_id}", response=responses({204: None}, 403, 404))
def delete_bookmark(request, bookmark_id: int):
    """The owner deletes a bookmark."""
    services.delete_bookmark(request.auth, _bookmark_or_404(request.auth, bookmark_id))
    return Status(204, None)
