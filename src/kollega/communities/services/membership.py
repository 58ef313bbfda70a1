"""Membership: joining, requests, invitations, leaving, removing, owners, following."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.communities.models import (
    Community,
    CommunityFollow,
    CommunityInvitation,
    Membership,
    MembershipRequest,
)
from kollega.communities.services._common import (
    Kind,
    Role,
    What,
    _add_member,
    _checked_text,
    _drop,
    _locked,
    _log,
    _membership,
    _owners,
    _pending_invitation,
    _pending_request,
    _require_active,
    _require_owner,
)
from kollega.limits import COMMUNITY_MESSAGE_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions.communities import can_read_community, can_see_community, is_member

# --- joining --------------------------------------------------------------------------------


def _not_yet_member(person: Person, community: Community) -> None:
    if Membership.objects.filter(community=community, person=person).exists():
        raise ValidationError(_("You are already a member."), code="already_member")


@transaction.atomic
def join_community(person: Person, community: Community) -> Membership:
    """Join an open community with one click.

    A restricted community is never joined: its invited colleagues accept their
    invitation (`accept_community_invitation`), the one way in.
    """
    _require_active(person)
    if community.kind == Kind.RESTRICTED:
        raise PermissionDenied(
            _("This community is by invitation only: an invited colleague accepts the invitation.")
        )
    _not_yet_member(person, community)
    if community.kind == Kind.MODERATED:
        raise ValidationError(
            _("The owners approve who joins this community: ask to join instead."),
            code="moderated",
        )
    membership = _add_member(community, person)
    _log(community, person, person, What.JOINED)
    return membership


@transaction.atomic
def request_membership(
    person: Person, community: Community, message: str = ""
) -> MembershipRequest:
    """Ask to join a moderated community; its owners are told."""
    _require_active(person)
    if not can_see_community(person, community):
        raise PermissionDenied(_("This community is by invitation only."))
    _not_yet_member(person, community)
    if community.kind != Kind.MODERATED:
        raise ValidationError(
            _("Anyone can join this community; no request is needed.")
            if community.kind == Kind.OPEN
            else _("This community is by invitation only."),
            code="not_moderated",
        )
    message = _checked_text(message, COMMUNITY_MESSAGE_MAX_CHARS, "message")
    if _pending_request(community, person) is not None:
        raise ValidationError(_("You have already asked to join."), code="duplicate_request")
    request = MembershipRequest.objects.create(community=community, person=person, message=message)
    _log(community, person, person, What.REQUESTED)
    for owner in _owners(community).select_related("person__user"):
        notify(owner.person, Notification.Kind.COMMUNITY_REQUEST, person, community=community)
    return request


def _decide(person: Person, request: MembershipRequest, status: str) -> None:
    community = request.community
    if request.person_id == person.pk:
        raise PermissionDenied(_("You cannot decide on your own request."))
    _require_owner(person, community)
    changed = MembershipRequest.objects.filter(
        pk=request.pk, status=MembershipRequest.Status.PENDING
    ).update(status=status, decided_by=person, decided_at=timezone.now())
    if not changed:
        raise ValidationError(_("This request has already been answered."), code="answered")
    request.status = status


@transaction.atomic
def approve_request(person: Person, request: MembershipRequest) -> Membership:
    """An owner lets the colleague in; they are told."""
    _decide(person, request, MembershipRequest.Status.APPROVED)
    membership = _add_member(request.community, request.person)
    _log(request.community, person, request.person, What.APPROVED)
    notify(
        request.person,
        Notification.Kind.COMMUNITY_APPROVED,
        person,
        community=request.community,
    )
    return membership


@transaction.atomic
def refuse_request(person: Person, request: MembershipRequest) -> None:
    """An owner says no; the request is closed (the colleague may ask again later)."""
    _decide(person, request, MembershipRequest.Status.REFUSED)
    _log(request.community, person, request.person, What.REFUSED)


@transaction.atomic
def invite_to_community(
    person: Person, community: Community, invitee: Person
) -> CommunityInvitation:
    """An owner invites a colleague (the only way into a restricted community).

    If the colleague has already asked to join, the invitation approves the request.
    """
    _require_owner(person, community)
    _require_active(invitee)
    if is_member(invitee, community):
        raise ValidationError(
            _("%(name)s is already a member.") % {"name": invitee.name}, code="already_member"
        )
    if _pending_invitation(community, invitee) is not None:
        raise ValidationError(
            _("%(name)s is already invited.") % {"name": invitee.name}, code="duplicate"
        )
    request = _pending_request(community, invitee)
    invitation = CommunityInvitation.objects.create(
        community=community, person=invitee, invited_by=person
    )
    _log(community, person, invitee, What.INVITED)
    if request is not None:
        approve_request(person, request)
        CommunityInvitation.objects.filter(pk=invitation.pk).update(
            status=CommunityInvitation.Status.ACCEPTED, responded_at=timezone.now()
        )
        return invitation
    notify(invitee, Notification.Kind.COMMUNITY_INVITATION, person, community=community)
    return invitation


def _answer(person: Person, invitation: CommunityInvitation, status: str) -> None:
    if invitation.person_id != person.pk:
        raise PermissionDenied(_("This invitation is not addressed to you."))
    changed = CommunityInvitation.objects.filter(
        pk=invitation.pk, status=CommunityInvitation.Status.PENDING
    ).update(status=status, responded_at=timezone.now())
    if not changed:
        raise ValidationError(_("This invitation has already been answered."), code="answered")
    invitation.status = status


@transaction.atomic
def accept_community_invitation(person: Person, invitation: CommunityInvitation) -> Membership:
    """The invited colleague joins."""
    _require_active(person)
    _answer(person, invitation, CommunityInvitation.Status.ACCEPTED)
    membership = _add_member(invitation.community, person)
    _log(invitation.community, person, person, What.ACCEPTED)
    return membership


@transaction.atomic
def decline_community_invitation(person: Person, invitation: CommunityInvitation) -> None:
    """The invited colleague says no; the owners are not told."""
    _answer(person, invitation, CommunityInvitation.Status.DECLINED)
    _log(invitation.community, person, person, What.DECLINED)


# --- leaving, removing, owners --------------------------------------------------------------


@transaction.atomic
def leave_community(person: Person, community: Community) -> None:
    """Leave a community; the last owner cannot."""
    community = _locked(community)
    _drop(community, _membership(community, person))
    _log(community, person, person, What.LEFT)


@transaction.atomic
def remove_member(person: Person, community: Community, member: Person) -> None:
    """An owner removes a member (or another owner, while one owner remains).

    For a restricted community the removed colleague loses sight of it at once.
    """
    community = _locked(community)
    _require_owner(person, community)
    _drop(community, _membership(community, member))
    _log(community, person, member, What.REMOVED)


@transaction.atomic
def make_owner(person: Person, community: Community, member: Person) -> Membership:
    """An owner makes a member an owner too."""
    community = _locked(community)
    _require_owner(person, community)
    membership = _membership(community, member)
    if membership.role == Role.OWNER:
        raise ValidationError(
            _("%(name)s is already an owner.") % {"name": member.name}, code="already_owner"
        )
    _require_active(member)
    membership.role = Role.OWNER
    membership.save(update_fields=["role"])
    _log(community, person, member, What.MADE_OWNER)
    return membership


@transaction.atomic
def make_member(person: Person, community: Community, owner: Person) -> Membership:
    """An owner makes an owner (themself included) a plain member; the last owner stays."""
    community = _locked(community)
    _require_owner(person, community)
    membership = _membership(community, owner)
    if membership.role != Role.OWNER:
        raise ValidationError(_("%(name)s is not an owner.") % {"name": owner.name})
    if _owners(community).count() <= 1:
        raise ValidationError(
            _("The last owner cannot stop being one; make someone else an owner first."),
            code="last_owner",
        )
    membership.role = Role.MEMBER
    membership.save(update_fields=["role"])
    _log(community, person, owner, What.MADE_MEMBER)
    return membership


# --- following ------------------------------------------------------------------------------


@transaction.atomic
def follow_community(person: Person, community: Community) -> bool:
    """Follow a community one may read; its posts appear under "My communities"."""
    if not can_read_community(person, community):
        raise PermissionDenied(_("This community is by invitation only."))
    _follow, created = CommunityFollow.objects.get_or_create(community=community, person=person)
    return created


@transaction.atomic
def unfollow_community(person: Person, community: Community) -> bool:
    """Stop following (members stay members)."""
    deleted, _details = CommunityFollow.objects.filter(community=community, person=person).delete()
    return bool(deleted)
