"""API: contacts, invitations, following people and tags."""

from datetime import datetime

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kollega.api.lookups import person_named
from kollega.api.schemas import (
    OffsetPage,
    OffsetParams,
    PersonRef,
    PersonSummary,
    choice_of,
    offset_page,
    responses,
)
from kollega.network import services
from kollega.network.models import Invitation
from kollega.people.services import visible_person
from kollega.tags.models import Tag
from kollega.tags.services import normalise_tag

router = Router()


class InvitationOut(Schema):
    id: int
    sender: PersonRef
    recipient: PersonRef
    message: str
    status: choice_of(Invitation.Status)
    created_at: datetime
    responded_at: datetime | None


class InvitationIn(Schema):
    username: str = Field(description="Whom to invite.")
    message: str = Field("", description="An optional note, at most 500 characters.")


class TagOut(Schema):
    name: str


def _invitation_or_404(person, invitation_id: int) -> Invitation:
    """An invitation the caller sent or received; other people's answer 404."""
    return get_object_or_404(
        Invitation.objects.filter(Q(sender=person) | Q(recipient=person)).select_related(
            "sender__user", "recipient__user"
        ),
        pk=invitation_id,
    )


@router.get("/contacts", response=responses({200: OffsetPage[PersonSummary]}, 400))
def list_my_contacts(request, params: Query[OffsetParams]):
    """The caller's contacts, by name."""
    return offset_page(services.contacts_of(request.auth), params)


@router.get(
    "/people/{username}/contacts",
    response=responses({200: OffsetPage[PersonSummary]}, 400, 403, 404),
)
def list_contacts_of(request, username: str, params: Query[OffsetParams]):
    """A colleague's contacts, by name (as their profile shows them); 403 when they keep
    their contacts from the caller (privacy settings)."""
    person = visible_person(request.auth, username)
    return offset_page(services.visible_contacts_of(request.auth, person), params)


@router.delete("/contacts/{username}", response=responses({204: None}, 400, 404))
def remove_contact(request, username: str):
    """End a contact, for both sides."""
    services.remove_contact(request.auth, visible_person(request.auth, username))
    return Status(204, None)


@router.get("/invitations", response=responses({200: OffsetPage[InvitationOut]}, 400))
def list_invitations(request, params: Query[OffsetParams]):
    """Invitations waiting for the caller's answer, newest first."""
    invitations = services.pending_invitations_for(request.auth).select_related("recipient__user")
    return offset_page(invitations, params)


@router.post("/invitations", response=responses({201: InvitationOut}, 400))
def send_invitation(request, payload: InvitationIn):
    """Invite a colleague to become a contact, with an optional message.

    If they had already invited the caller, this accepts their invitation instead
    (the answer then has status `accepted`).
    """
    recipient = person_named(payload.username)
    invitation = services.send_invitation(request.auth, recipient, payload.message)
    return Status(201, invitation)


@router.post(
    "/invitations/{invitation_id}/accept", response=responses({200: InvitationOut}, 400, 403, 404)
)
def accept_invitation(request, invitation_id: int):
    """Accept an invitation addressed to the caller: both become contacts."""
    invitation = _invitation_or_404(request.auth, invitation_id)
    services.accept_invitation(request.auth, invitation)
    return invitation


@router.post(
    "/invitations/{invitation_id}/ignore", response=responses({200: InvitationOut}, 400, 403, 404)
)
def ignore_invitation(request, invitation_id: int):
    """Ignore an invitation addressed to the caller; the sender is not told."""
    invitation = _invitation_or_404(request.auth, invitation_id)
    services.ignore_invitation(request.auth, invitation)
    return invitation


@router.post(
    "/invitations/{invitation_id}/withdraw", response=responses({200: InvitationOut}, 400, 403, 404)
)
def withdraw_invitation(request, invitation_id: int):
    """Take back an invitation the caller sent that is still pending."""
    invitation = _invitation_or_404(request.auth, invitation_id)
    services.withdraw_invitation(request.auth, invitation)
    return invitation


@router.post("/people/{username}/follow", response=responses({204: None}, 400, 404))
def follow_person(request, username: str):
    """Follow a colleague: their posts appear in the caller's `following` stream."""
    services.follow_person(request.auth, visible_person(request.auth, username))
    return Status(204, None)


@router.delete("/people/{username}/follow", response=responses({204: None}, 404))
def unfollow_person(request, username: str):
    """Stop following a colleague (no error if the caller did not follow them)."""
    services.unfollow_person(request.auth, visible_person(request.auth, username))
    return Status(204, None)


@router.post("/tags/{name}/follow", response=responses({200: TagOut}, 400))
def follow_tag(request, name: str):
    """Follow a tag: posts carrying it appear in the caller's `following` stream."""
    return services.follow_tag(request.auth, name)


@router.delete("/tags/{name}/follow", response=responses({204: None}, 400, 404))
def unfollow_tag(request, name: str):
    """Stop following a tag."""
    tag = Tag.objects.filter(name=normalise_tag(name)).first()
    if tag is None:
        raise Http404
    services.unfollow_tag(request.auth, tag)
    return Status(204, None)
