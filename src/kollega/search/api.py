"""API: one search over everything the caller may see, and suggestions as you type.

The same service as the search page (`search.services`): visibility is
applied inside the query, so `count` and the facets never include what the
caller may not see.
"""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from kollega.api.schemas import Day, PersonRef, absolute_url, responses
from kollega.limits import API_OFFSET_MAX_ITEMS, API_PAGE_ITEMS, SEARCH_PAGE_MAX_ITEMS
from kollega.search import services
from kollega.search.suggestions import suggest as suggest_names

router = Router()


class SearchParams(Schema):
    q: str = Field(description="Words to search for; every word must match (any form of it).")
    type: list[str] = Field(
        default_factory=list,
        description="Only these types: person, community, post, comment, question, answer, …",
    )
    community: str = Field("", description="A community's slug.")
    tag: str = Field("", description="A tag name.")
    author: str = Field("", description="The author's user name.")
    department: int | None = Field(None, description="A department id (with those below it).")
    since: Day | None = Field(None, description="Created on or after this day (1900–9000).")
    until: Day | None = Field(None, description="Created on or before this day (1900–9000).")
    offset: int = Field(0, ge=0, le=API_OFFSET_MAX_ITEMS)
    limit: int = Field(API_PAGE_ITEMS, ge=1, le=SEARCH_PAGE_MAX_ITEMS)
    explain: bool = Field(False, description="Administrators: each result's score parts.")


class HitOut(Schema):
    type: str
    id: int = Field(description="The id of the person, post, question… the result stands for.")
    title: str
    title_html: str = Field(description="The title, escaped, with matches in <mark>.")
    snippet_html: str = Field(description="Part of the text, escaped, with matches in <mark>.")
    context: str
    author: PersonRef | None
    community: str | None = Field(description="The community's slug.")
    created_at: datetime
    url: str
    score: float
    score_parts: dict[str, float] | None = Field(description="With explain=true, for staff.")


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    items: list[HitOut]
    count: int = Field(description="Matches in all (exact when count_is_exact).")
    count_is_exact: bool = Field(description=f"False past {services.CANDIDATES} matches.")
    next_offset: int | None
    any_word: bool = Field(description="No result had every word; these have some.")
    notes: list[str]
    facets: dict[str, list[FacetOut]]


class SuggestionOut(Schema):
    type: str
    label: str
    url: str


def _hit(hit, request, explain: bool) -> dict:
    document = hit.document
    return {
        "type": document.kind,
        "id": document.object_id,
        "title": document.title,
        "title_html": str(hit.title_html),
        "snippet_html": str(hit.snippet_html),
        "context": hit.context,
        "author": document.author,
        "community": document.community.slug if document.community_id else None,
        "created_at": document.created_at,
        "url": absolute_url({"request": request}, document.url),
        "score": hit.score,
        "score_parts": hit.parts if explain else None,
    }


@router.get("/search", response=responses({200: SearchOut}, 400))
def search(request, params: Query[SearchParams]):
    """Search people, posts, comments, questions, answers and communities, best first."""
    from kollega.permissions.search import can_explain_scores

    filters = services.Filters(
        kinds=[k for k in params.type if k],
        community=params.community,
        tag=params.tag,
        author=params.author,
        department=params.department,
        since=params.since,
        until=params.until,
    )
    results = services.search(request.auth, params.q, filters, params.offset, params.limit)
    explain = params.explain and can_explain_scores(request.auth)
    return {
        "items": [_hit(hit, request, explain) for hit in results.hits],
        "count": results.count,
        "count_is_exact": results.count_is_exact,
        "next_offset": results.next_offset,
        "any_word": results.any_word,
        "notes": [str(note) for note in results.notes],
        "facets": {
            name: [vars(value) for value in values] for name, values in results.facets.items()
        },
    }


@router.get("/search/suggest", response=responses({200: list[SuggestionOut]}))
def suggest(request, q: str = ""):
    """Colleagues, communities and tags whose names start with `q` (for a search box)."""
    from django.urls import reverse

    found = suggest_names(request.auth, q)
    items = [
        {"type": d.kind, "label": d.title, "url": absolute_url({"request": request}, d.url)}
        for d in found.people + found.communities
    ]
    items += [
        {
            "type": "tag",
            "label": tag.name,
            "url": absolute_url({"request": request}, reverse("tag", args=[tag.name])),
        }
        for tag in found.tags
    ]
    return items
