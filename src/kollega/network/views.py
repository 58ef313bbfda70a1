"""Contacts, invitations and follows: thin wrappers around network.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.network import services
from kollega.network.models import Invitation, TagFollow
from kollega.people.services import visible_person
from kollega.tags.models import Tag
from kollega.tags.services import tag_key
from kollega.web.helpers import current_person, redirect_back, report_error


def network_page(request):
    """My contacts, the invitations waiting for me and the ones I sent."""
    person = current_person(request)
    context = {
        "received": services.pending_invitations_for(person),
        "sent": Invitation.objects.filter(
            sender=person, status=Invitation.Status.PENDING
        ).select_related("recipient__user"),
        "contacts": services.contacts_of(person),
        "followed_tags": TagFollow.objects.filter(follower=person).select_related("tag"),
    }
    return render(request, "network/network.html", context)


@require_POST
def invite(request, username: str):
    """Invite a colleague to become a contact, with an optional message."""
    person = current_person(request)
    other = visible_person(person, username)
    try:
        services.send_invitation(person, other, request.POST.get("message", ""))
        messages.success(request, _("Invitation sent to %(name)s.") % {"name": other.name})
    except ValidationError as error:
        report_error(request, error)
    return redirect(other.get_absolute_url())


@require_POST
def answer(request, invitation_id: int, answer: str):
    """Accept, ignore or withdraw an invitation."""
    person = current_person(request)
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    actions = {
        "accept": services.accept_invitation,
        "ignore": services.ignore_invitation,
        "withdraw": services.withdraw_invitation,
    }
    if answer not in actions:
        return redirect("network")
    try:
        actions[answer](person, invitation)
    except ValidationError as error:
        report_error(request, error)
    else:
        if answer == "accept":
            messages.success(
                request, _("You and %(name)s are now contacts.") % {"name": invitation.sender.name}
            )
    return redirect_back(request, "network")


@require_POST
def remove(request, username: str):
    """End a contact."""
    person = current_person(request)
    other = visible_person(person, username)
    try:
        services.remove_contact(person, other)
    except ValidationError as error:
        report_error(request, error)
    return redirect(other.get_absolute_url())


@require_POST
def follow(request, username: str):
    """Follow or stop following a colleague."""
    person = current_person(request)
    other = visible_person(person, username)
    try:
        if request.POST.get("action") == "unfollow":
            services.unfollow_person(person, other)
        else:
            services.follow_person(person, other)
    except ValidationError as error:
        report_error(request, error)
    return redirect(other.get_absolute_url())


@require_POST
def follow_tag(request, name: str):
    """Follow or stop following a tag."""
    person = current_person(request)
    if request.POST.get("action") == "unfollow":
        services.unfollow_tag(person, get_object_or_404(Tag, name=tag_key(name)))
    else:
        try:
            services.follow_tag(person, name)
        except ValidationError as error:
            report_error(request, error)
    return redirect("tag", name=name)
