"""Shared checks and helpers of the community services (not part of the public API)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kollega import texts
from kollega.communities.models import (
    Community,
    CommunityFollow,
    CommunityInvitation,
    Membership,
    MembershipEvent,
    MembershipRequest,
)
from kollega.limits import COMMUNITY_NAME_MAX_CHARS
from kollega.people.models import Person
from kollega.permissions.communities import is_owner

RECENT, BEFORE = timedelta(days=7), timedelta(days=28)

Kind, Role, What = Community.Kind, Membership.Role, MembershipEvent.What


# --- checks ---------------------------------------------------------------------------------


def _checked_name(name: str, exclude: int | None = None) -> str:
    name = texts.clean(name, one_line=True, field="name")
    if not name:
        raise ValidationError({"name": _("Give the community a name.")}, code="empty")
    if len(name) > COMMUNITY_NAME_MAX_CHARS:
        raise ValidationError(
            {
                "name": _("The name is too long (at most %(max)d characters).")
                % {"max": COMMUNITY_NAME_MAX_CHARS}
            },
            code="too_long",
        )
    taken = Community.objects.annotate(lower=Lower("name")).filter(lower=name.lower())
    if taken.exclude(pk=exclude).exists():
        raise ValidationError(
            {"name": _("There is already a community called “%(name)s”.") % {"name": name}},
            code="duplicate",
        )
    return name


def _checked_text(text: str, max_length: int, field: str) -> str:
    text = texts.clean(text, field=field).strip()
    if len(text) > max_length:
        raise ValidationError(
            {field: _("Too long: at most %(max)d characters.") % {"max": max_length}},
            code="too_long",
        )
    return text


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80] or "community"
    slug, number = base, 1
    while Community.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _require_owner(person: Person, community: Community) -> None:
    if not is_owner(person, community):
        raise PermissionDenied(_("Only the community's owners may do this."))


def _require_active(person: Person) -> None:
    if not person.user.is_active:
        raise ValidationError(_("This colleague has left."), code="inactive")


def _locked(community: Community) -> Community:
    """The community row locked for the transaction (owner counts stay true under races)."""
    return Community.objects.select_for_update().get(pk=community.pk)


def _log(community: Community, actor: Person, person: Person, what: str) -> None:
    MembershipEvent.objects.create(community=community, actor=actor, person=person, what=what)


def _add_member(community: Community, person: Person, role: str = Role.MEMBER) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        community=community, person=person, defaults={"role": role}
    )
    CommunityFollow.objects.get_or_create(community=community, person=person)
    return membership


def _owners(community: Community):
    return Membership.objects.filter(community=community, role=Role.OWNER)


def _membership(community: Community, person: Person) -> Membership:
    membership = Membership.objects.filter(community=community, person=person).first()
    if membership is None:
        raise ValidationError(
            _("%(name)s is not a member.") % {"name": person.name}, code="not_member"
        )
    return membership


def _drop(community: Community, membership: Membership) -> None:
    """Remove a membership; the last owner stays."""
    if membership.role == Role.OWNER and _owners(community).count() <= 1:
        raise ValidationError(
            _("The last owner cannot leave; make someone else an owner first."),
            code="last_owner",
        )
    membership.delete()
    CommunityFollow.objects.filter(community=community, person_id=membership.person_id).delete()


def _pending_request(community: Community, person: Person) -> MembershipRequest | None:
    return MembershipRequest.objects.filter(
        community=community, person=person, status=MembershipRequest.Status.PENDING
    ).first()


def _pending_invitation(community: Community, person: Person) -> CommunityInvitation | None:
    return CommunityInvitation.objects.filter(
        community=community, person=person, status=CommunityInvitation.Status.PENDING
    ).first()
