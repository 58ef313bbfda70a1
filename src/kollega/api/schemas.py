"""Schemas shared by the API routers: people, posts, pages of results and errors.

Every schema lists its fields explicitly; nothing is derived from a model, so a
new model field (or a password hash) can never leak into a response.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from django.urls import reverse
from ninja import Field, Schema
from pydantic import AfterValidator

from kollega.limits import API_OFFSET_MAX_ITEMS, API_PAGE_ITEMS, API_PAGE_MAX_ITEMS
from kollega.posts.models import Audience

T = TypeVar("T")


# A classification level as the API spells it (kollega.guard.classification.KEYS).
ClassificationName = Literal["open", "internal", "confidential", "strictly_confidential"]
CLASSIFICATION_HELP = (
    "open, internal, confidential or strictly_confidential. It caps the audience: "
    "confidential goes to a network, a board, a restricted community or only the author; "
    "strictly_confidential to a restricted community or only the author (docs/guard.md)."
)


def classification_in(what: str = "the community's level, else internal"):
    """The optional `classification` field of an input schema (omitted: `what`)."""
    return Field(None, description=f"{CLASSIFICATION_HELP} Omitted: {what}.")


class Classified(Schema):
    """An output schema's `classification`, read from the object's level."""

    classification: ClassificationName = Field(description=CLASSIFICATION_HELP)

    @staticmethod
    def resolve_classification(obj) -> str:
        from kollega.guard.classification import key_of

        return key_of(obj.classification)


def choice_of(choices) -> type:
    """A Django TextChoices as an inline string enum (named after the field, not the class)."""
    return Literal[tuple(choices.values)]


def absolute_url(context, path: str) -> str:
    """`path` as a full URL when the request is known (it always is in a response)."""
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


# --- times a client sends -------------------------------------------------------------------

# Years a stored time may have in any time zone: datetime.max in UTC-5 cannot be stored.
FIRST_YEAR, LAST_YEAR = 1900, 9000


def _a_storable_day(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"Choose a day in the years {FIRST_YEAR} to {LAST_YEAR}")
    return day


def _a_storable_time(moment: datetime) -> datetime:
    """The moment in UTC: Python takes offsets up to ±24 h, PostgreSQL only up to ±15:59."""
    _a_storable_day(moment.date())
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
        _a_storable_day(moment.date())
    return moment


Day = Annotated[date, AfterValidator(_a_storable_day)]
Moment = Annotated[datetime, AfterValidator(_a_storable_time)]


# --- errors ---------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="What went wrong, in words a person can act on.")


def responses(ok: dict, *errors: int) -> dict:
    """A `response=` mapping: the success schema plus the error codes the endpoint answers.

    401 (no or bad credentials) applies to every endpoint and is always listed. The
    statuses the shared layers answer (400 for a malformed parameter or body, 403 on
    a change with a read-only token or without a CSRF token, 404 for a path naming
    nothing, 409/422 for an Idempotency-Key, 413 for a body over the limit) are added
    to the OpenAPI document by `KollegaAPI`, in one place; list here what the
    endpoint itself decides (a 403 of a permission, a 400 of a service's rule, a 404
    of a lookup in the body).
    """
    return {**ok, **{code: Error for code in sorted({401, *errors})}}


# --- pages of results -----------------------------------------------------------------------


class OffsetParams(Schema):
    limit: int = Field(API_PAGE_ITEMS, ge=1, le=API_PAGE_MAX_ITEMS, description="Items per page.")
    offset: int = Field(0, ge=0, le=API_OFFSET_MAX_ITEMS, description="How many items to skip.")


class OffsetPage(Schema, Generic[T]):
    items: list[T]
    count: int = Field(description="How many items there are in all.")
    next_offset: int | None = Field(description="The `offset` of the next page; null at the end.")


def offset_page(items, params: OffsetParams) -> dict:
    """One page of a queryset, for an `OffsetPage` response."""
    count = items.count()
    page = list(items[params.offset : params.offset + params.limit])
    following = params.offset + len(page)
    return {"items": page, "count": count, "next_offset": following if following < count else None}


class CursorPage(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null at the end."
    )


# --- people ---------------------------------------------------------------------------------


class PersonRef(Schema):
    """A colleague in short: enough to name and link them."""

    username: str
    name: str

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username


class DepartmentOut(Schema):
    id: int
    name: str
    parent_id: int | None


class OfficeOut(Schema):
    id: int
    name: str
    city: str
    country: str


class PersonFields(Schema):
    """The fields of a directory entry (declared once; see PersonSummary)."""

    username: str
    name: str
    title: str
    department: DepartmentOut | None
    office: OfficeOut | None = Field(
        description="Null when they have none, or keep their location from the caller "
        "(privacy settings)."
    )
    email: str | None = Field(description="Shown for active colleagues only.")
    is_active: bool
    url: str = Field(description="The profile page in the intranet.")
    avatar_url: str


class PersonSummary(PersonFields):
    """A directory entry, read from a Person."""

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username

    @staticmethod
    def resolve_office(obj, context):
        from kollega.permissions.privacy import lens_for

        request = (context or {}).get("request")
        return lens_for(request).office(obj) if request is not None else None

    @staticmethod
    def resolve_email(obj) -> str | None:
        return obj.user.email if obj.user.is_active else None

    @staticmethod
    def resolve_is_active(obj) -> bool:
        return obj.user.is_active

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute_url(context, obj.get_absolute_url())

    @staticmethod
    def resolve_avatar_url(obj, context) -> str:
        path = obj.photo.url if obj.photo else reverse("avatar", args=[obj.user.username])
        return absolute_url(context, path)


# --- posts ----------------------------------------------------------------------------------


class SourceOut(Schema):
    """Where imported text came from (e.g. the Stack Exchange demo data)."""

    name: str
    url: str
    author: str


def source_of(obj) -> dict | None:
    if not (obj.source_name or obj.source_url or obj.source_author):
        return None
    return {"name": obj.source_name, "url": obj.source_url, "author": obj.source_author}


class PostOut(Classified):
    id: int
    author: PersonRef
    board_owner: PersonRef
    audience: choice_of(Audience)
    community: str | None = Field(description="The community's slug, for community posts.")
    body: str = Field(description="The text as written (Markdown subset).")
    body_html: str = Field(description="The text rendered and sanitised, safe to show.")
    tags: list[str]
    created_at: datetime
    last_activity_at: datetime = Field(description="Moves forward with every comment.")
    edited_at: datetime | None = Field(None, description="When its author last edited it.")
    comment_count: int
    recommendation_count: int
    recommended_by_me: bool
    source: SourceOut | None
    url: str = Field(description="The post's page in the intranet.")

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.community.slug if obj.community_id else None

    @staticmethod
    def resolve_recommended_by_me(obj) -> bool:
        return getattr(obj, "recommended_by_me", False)

    @staticmethod
    def resolve_source(obj) -> dict | None:
        return source_of(obj)

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class CommentOut(Schema):
    id: int
    post_id: int
    author: PersonRef
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None = Field(None, description="When its author last edited it.")
    source: SourceOut | None

    @staticmethod
    def resolve_source(obj) -> dict | None:
        return source_of(obj)
