"""API: who knows about X (`GET /experts?q=…`), with the evidence and the way to reach them."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kollega.api.schemas import PersonRef, PersonSummary, absolute_url, responses
from kollega.expertise import services
from kollega.expertise.ranking import Kind
from kollega.limits import EXPERTS_MAX_PEOPLE
from kollega.people.models import Department, Office

router = Router()


class ExpertsParams(Schema):
    q: str = Field(description="What you want to know about, e.g. `wine storage`.")
    department: int | None = Field(None, description="A department id; includes those below.")
    office: int | None = Field(
        None, description="An office id; finds only people who show their location to you."
    )
    limit: int = Field(10, ge=1, le=EXPERTS_MAX_PEOPLE, description="How many people.")


class EvidenceOut(Schema):
    kind: Kind
    label: str = Field(description="The evidence in a sentence, in the caller's language.")
    url: str | None = Field(description="Where to see it, if it is a page.")
    at: datetime | None = Field(description="When it happened (tags have no date).")

    @staticmethod
    def resolve_url(obj, context) -> str | None:
        return absolute_url(context, obj.url) if obj.url else None


class PathOut(Schema):
    kind: str = Field(
        description="`contact`, `shared`, `introduction`, `none`, or `private` when the "
        "person keeps their contacts from the caller (then `via` is empty)."
    )
    text: str
    via: list[PersonRef] = Field(
        description="For `introduction`, who introduces, in order; for `shared`, up to three "
        "of the shared contacts, by name (`shared` counts them all)."
    )
    shared: int = Field(description="Contacts the caller and this person share.")


class ExpertOut(Schema):
    person: PersonSummary
    score: float = Field(description="Higher is stronger; comparable within one answer only.")
    evidence: list[EvidenceOut] = Field(description="The strongest evidence, strongest first.")
    path: PathOut


def _get(model, pk, message):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError(message % {"id": pk})
    return found


@router.get("/experts", response=responses({200: list[ExpertOut]}, 400))
def find_experts(request, params: Query[ExpertsParams]):
    """Colleagues who know about `q`, best first, each with evidence the caller may see.

    Nobody who said no to "who knows" in their privacy settings is listed."""
    return services.find_experts(
        request.auth,
        params.q,
        department=_get(Department, params.department, _("There is no department %(id)s.")),
        office=_get(Office, params.office, _("There is no office %(id)s.")),
        limit=params.limit,
    )
