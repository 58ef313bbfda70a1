"""API: listening's items, for the listening team (`kollega.permissions.listening`)."""

from datetime import datetime
from urllib.parse import urlencode

from ninja import Field, Query, Router, Schema

from kollega.api.schemas import responses
from kollega.limits import API_PAGE_ITEMS, API_PAGE_MAX_ITEMS
from kollega.limits import LISTENING_SOURCE_NAME_MAX_CHARS as NAME_MAX_CHARS
from kollega.listening import services

router = Router()

LARGEST_ID = 2**63 - 1  # the largest id a database column holds


class ItemParams(Schema):
    source: str | None = Field(
        None, min_length=1, max_length=NAME_MAX_CHARS, description="Only this source's items."
    )
    limit: int = Field(API_PAGE_ITEMS, ge=1, le=API_PAGE_MAX_ITEMS, description="Items per page.")
    before: int | None = Field(
        None,
        ge=1,
        le=LARGEST_ID,
        description="Items stored before this id (the `next` URL sets it).",
    )


class ListeningItemOut(Schema):
    id: int
    source: str = Field(description="The source's name.")
    title: str
    url: str = Field(description="The item at its source (empty if it gave none).")
    author: str
    published: datetime | None = Field(
        description="As the source dated it; the time first seen if it gave no date or a "
        "future one."
    )
    content_html: str = Field(description="Sanitised to the Markdown subset's tags; no images.")
    matched_terms: list[str] = Field(description="The watch terms the item matches.")

    @staticmethod
    def resolve_source(obj) -> str:
        return obj.source.name


class ListeningItemPage(Schema):
    items: list[ListeningItemOut]
    next: str | None = Field(description="The next page's URL; null at the end.")


@router.get("/listening/items", response=responses({200: ListeningItemPage}, 403, 404))
def list_listening_items(request, params: Query[ItemParams]):
    """Items read from listening sources, newest stored first (`source=NAME` for one source).

    For staff and the `listening` group (403 for others); 404 for an unknown source.
    """
    items = services.listening_items(request.auth, params.source)
    if params.before is not None:
        items = items.filter(pk__lt=params.before)
    page = list(items[: params.limit + 1])
    following = None
    if len(page) > params.limit:
        page = page[: params.limit]
        query = {"limit": params.limit, "before": page[-1].pk}
        if params.source is not None:
            query = {"source": params.source, **query}
        following = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
    return {"items": page, "next": following}
