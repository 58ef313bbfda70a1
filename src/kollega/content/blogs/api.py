"""API: blog entries of people and communities — list, read, write, edit, schedule, publish.

Every read goes through `permissions.blogs` (via `services.visible_entry` and
`services.readable_blog`): a draft is the author's alone, and an entry the
caller may not see answers 404, like one that does not exist. Comments and
recommendations of a published entry are those of its post (`post_id`, see the
posts endpoints).
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kollega.api.lookups import person_or_404
from kollega.api.schemas import (
    ClassificationName,
    Classified,
    Moment,
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
from kollega.content.blogs import services
from kollega.content.blogs.models import EntryStatus
from kollega.guard.schemas import GuardOverride

router = Router()

AudienceIn = Literal[tuple(str(a) for a in services.BLOG_AUDIENCES)]


class EntryIn(Schema):
    title: str
    body: str = Field(description="Markdown subset, with #tags and @mentions.")
    tags: list[str] = Field(default_factory=list)
    audience: AudienceIn = Field(
        "organisation",
        description="On one's own blog: organisation, network, or public (readable "
        "without signing in: only for people whose public pages an administrator switched "
        "on, and only for Open entries). An entry on a community's blog is for the community.",
    )
    community: str | None = Field(None, description="The slug of a community's blog (members).")
    publish: bool = Field(False, description="Publish at once (else a draft).")
    publish_at: Moment | None = Field(
        None, description="Schedule: publish at this time (in the future; years 1900–9000)."
    )
    classification: ClassificationName | None = classification_in()
    guard_override: GuardOverride = None


class EntryPatch(Schema):
    title: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    audience: AudienceIn | None = None
    classification: ClassificationName | None = classification_in("as it is")
    guard_override: GuardOverride = None


class ScheduleIn(Schema):
    publish_at: Moment = Field(description="In the future; years 1900–9000.")


class EntryOut(Classified):
    id: int
    title: str
    body: str = Field(description="The text as written (Markdown subset).")
    body_html: str = Field(description="The text rendered and sanitised, safe to show.")
    author: PersonRef
    community: str | None = Field(description="The community's slug, for a community blog.")
    audience: str
    tags: list[str]
    status: choice_of(EntryStatus)
    publish_at: datetime | None = Field(description="When a scheduled entry will be published.")
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    post_id: int | None = Field(description="The post of a published entry (comments, likes).")
    comment_count: int
    recommendation_count: int
    url: str

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.community.slug if obj.community_id else None

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_comment_count(obj) -> int:
        return obj.post.comment_count if obj.post_id else 0

    @staticmethod
    def resolve_recommendation_count(obj) -> int:
        return obj.post.recommendation_count if obj.post_id else 0

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


@router.get(
    "/blogs/people/{username}/entries", response=responses({200: OffsetPage[EntryOut]}, 400, 404)
)
def list_person_entries(request, username: str, params: Query[OffsetParams]):
    """The published entries of a colleague's blog that the caller may see, newest first."""
    owner = person_or_404(username)
    return offset_page(services.blog_entries(request.auth, author=owner), params)


@router.get(
    "/blogs/communities/{slug}/entries", response=responses({200: OffsetPage[EntryOut]}, 400, 404)
)
def list_community_entries(request, slug: str, params: Query[OffsetParams]):
    """The published entries of a community's blog, newest first (404 for a closed community)."""
    community = services.readable_blog(request.auth, slug)
    return offset_page(services.blog_entries(request.auth, community=community), params)


@router.get("/blog-entries/drafts", response=responses({200: OffsetPage[EntryOut]}, 400))
def list_my_drafts(request, params: Query[OffsetParams]):
    """The caller's own drafts and scheduled entries, on every blog, last changed first."""
    return offset_page(services.my_drafts(request.auth), params)


@router.post("/blog-entries", response=responses({201: EntryOut}, 400, 403, 404))
def write_entry(request, payload: EntryIn):
    """Write an entry: a draft, scheduled (`publish_at`) or published at once (`publish`)."""
    community = services.writable_blog(request.auth, payload.community or "")
    entry = services.write_entry(
        request.auth,
        payload.title,
        payload.body,
        tags=payload.tags,
        audience=payload.audience,
        community=community,
        publish=payload.publish,
        publish_at=payload.publish_at,
        guard_override=payload.guard_override,
        classification=payload.classification,
    )
    return Status(201, services.visible_entry(request.auth, entry.pk))


@router.get("/blog-entries/{entry_id}", response=responses({200: EntryOut}, 404))
def get_entry(request, entry_id: int):
    """One entry, if the caller may see it (a draft: its author only)."""
    entry = services.visible_entry(request.auth, entry_id)
    record_opened(request.auth, entry, request)
    return entry


@router.patch("/blog-entries/{entry_id}", response=responses({200: EntryOut}, 400, 403, 404))
def edit_entry(request, entry_id: int, payload: EntryPatch):
    """The author changes an entry; a published one changes its post too."""
    entry = services.visible_entry(request.auth, entry_id)
    services.edit_entry(
        request.auth,
        entry,
        title=entry.title if payload.title is None else payload.title,
        body=entry.body if payload.body is None else payload.body,
        tags=[t.name for t in entry.tags.all()] if payload.tags is None else payload.tags,
        audience=payload.audience or entry.audience,
        guard_override=payload.guard_override,
        classification=payload.classification,
    )
    return services.visible_entry(request.auth, entry_id)


@router.post(
    "/blog-entries/{entry_id}/publication", response=responses({200: EntryOut}, 400, 403, 404)
)
def publish_entry(request, entry_id: int):
    """Publish a draft or scheduled entry now (400 if it is published already)."""
    services.publish_entry(request.auth, services.visible_entry(request.auth, entry_id))
    return services.visible_entry(request.auth, entry_id)


@router.post(
    "/blog-entries/{entry_id}/schedule", response=responses({200: EntryOut}, 400, 403, 404)
)
def schedule_entry(request, entry_id: int, payload: ScheduleIn):
    """Schedule a draft for `publish_at` (in the future; 400 for a time past)."""
    entry = services.visible_entry(request.auth, entry_id)
    services.schedule_entry(request.auth, entry, payload.publish_at)
    return services.visible_entry(request.auth, entry_id)


@router.delete(
    "/blog-entries/{entry_id}/schedule", response=responses({200: EntryOut}, 400, 403, 404)
)
def unschedule_entry(request, entry_id: int):
    """Take a scheduled entry back to draft."""
    services.unschedule_entry(request.auth, services.visible_entry(request.auth, entry_id))
    return services.visible_entry(request.auth, entry_id)


@router.delete("/blog-entries/{entry_id}", response=responses({204: None}, 403, 404))
def delete_entry(request, entry_id: int):
    """The author deletes an entry, with its post and comments."""
    services.delete_entry(request.auth, services.visible_entry(request.auth, entry_id))
    return Status(204, None)
