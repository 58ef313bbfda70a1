"""Creating communities and changing their name, description and tags."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kollega.communities.models import Community
from kollega.communities.services._common import (
    Kind,
    Role,
    What,
    _add_member,
    _checked_name,
    _checked_text,
    _log,
    _require_active,
    _require_owner,
    _unique_slug,
)
from kollega.guard.services import screen
from kollega.limits import COMMUNITY_DESCRIPTION_MAX_CHARS
from kollega.people.models import Person
from kollega.permissions.classification import checked_community_level
from kollega.tags.services import get_or_create_tags


def _checked_level(classification, kind: str):
    """The community's level, or a ValidationError on the classification field."""
    try:
        return checked_community_level(classification, kind)
    except ValidationError as error:
        raise ValidationError({"classification": error.messages}) from error


# --- creating -------------------------------------------------------------------------------


@transaction.atomic
def create_community(
    person: Person,
    name: str,
    description: str = "",
    tags: list[str] | None = None,
    kind: str = Kind.OPEN,
    *,
    guard_override: str | None = None,
    classification=None,
) -> Community:
    """Create a community; its creator is its first owner (and follows it).

    The name and description are listed for the whole organisation, so the
    share guard screens them for it. Its `classification` (None: Internal) is
    the floor for what is written in it; Confidential and higher need a
    restricted community."""
    _require_active(person)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown community type.")}, code="bad_kind")
    level = _checked_level(classification, kind)
    name = _checked_name(name)
    description = _checked_text(description, COMMUNITY_DESCRIPTION_MAX_CHARS, "description")
    screen(person, f"{name}\n{description}", "organisation", guard_override)
    tag_rows = get_or_create_tags(tags or [])
    try:
        with transaction.atomic():
            community = Community.objects.create(
                name=name,
                slug=_unique_slug(name),
                description=description,
                kind=kind,
                classification=level,
                created_by=person,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"name": _("There is already a community called “%(name)s”.") % {"name": name}}
        ) from error
    community.tags.set(tag_rows)
    _add_member(community, person, Role.OWNER)
    _log(community, person, person, What.CREATED)
    return community


@transaction.atomic
def update_community(
    person: Person,
    community: Community,
    name: str,
    description: str,
    tags: list[str],
    *,
    guard_override: str | None = None,
    classification=None,
) -> Community:
    """Owners change the name, description, tags and classification (None: as it is).

    The type stays as it was made; a level above Internal needs a restricted
    community. Content already written keeps its own level."""
    _require_owner(person, community)
    community.classification = _checked_level(
        community.classification if classification is None else classification, community.kind
    )
    community.name = _checked_name(name, exclude=community.pk)
    community.description = _checked_text(
        description, COMMUNITY_DESCRIPTION_MAX_CHARS, "description"
    )
    text = f"{community.name}\n{community.description}"
    screen(person, text, "organisation", guard_override)
    community.save(update_fields=["name", "description", "classification"])
    community.tags.set(get_or_create_tags(tags))
    return community
