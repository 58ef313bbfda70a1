"""API: the caller's recommendations, and "Not interested"."""

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kollega.api.schemas import responses
from kollega.recommendations import services
from kollega.recommendations.models import Kind

router = Router()


class RecommendedItemOut(Schema):
    kind: str = Field(description="What is suggested: person, community or content (a post).")
    id: int = Field(description="The person's, community's or post's id.")
    title: str = Field(description="A name, a community's name or a post's title.")
    url: str = Field(description="The page's path on this site.")
    reasons: list[str] = Field(description="Why, in sentences in the caller's language.")


class RecommendationParams(Schema):
    limit_per_kind: int = Field(3, ge=1, le=10, description="At most this many of each kind.")


class DismissIn(Schema):
    kind: str = Field(
        description="person, community or content.",
        json_schema_extra={"enum": list(Kind.values)},
    )
    id: int = Field(ge=1, le=2**63 - 1, description="The id the recommendation carried.")


@router.get("/me/recommendations", response=responses({200: list[RecommendedItemOut]}, 400))
def my_recommendations(request, params: Query[RecommendationParams]):
    """People, communities and content suggested to the caller, each with its reasons:
    people first, then communities, then content, best first within each kind."""
    return services.recommend(request.auth, limit_per_kind=params.limit_per_kind)


@router.post("/me/recommendations/dismiss", response=responses({204: None}, 400))
def dismiss_recommendation(request, payload: DismissIn):
    """ "Not interested": never suggest this person, community or post to the caller again.
    Saying it twice is saying it once (204 both times)."""
    services.dismiss(request.auth, payload.kind, payload.id)
    return Status(204, None)
