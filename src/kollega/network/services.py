"""Contacts by invitation, following people and tags, shared contacts and paths."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega import texts
from kollega.limits import INVITATION_MESSAGE_MAX_CHARS
from kollega.network.models import Contact, Invitation, PersonFollow, TagFollow
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions.privacy import may_see_contacts
from kollega.tags.models import Tag
from kollega.tags.services import get_or_create_tags


def are_contacts(a: Person, b: Person) -> bool:
    """True if `a` and `b` are contacts."""
    return Contact.objects.filter(person=a, contact=b).exists()


def contacts_of(person: Person):
    """The contacts of `person`, as a Person queryset ordered by name."""
    return Person.objects.filter(contact_of__person=person).with_profile_parts()


def visible_contacts_of(viewer: Person, person: Person):
    """`person`'s contacts as `viewer` may list them; PermissionDenied when `person`
    keeps their contacts from `viewer` (`permissions.privacy`)."""
    if not may_see_contacts(viewer, person):
        raise PermissionDenied(_("%(name)s keeps their contacts private.") % {"name": person.name})
    return contacts_of(person)


def contact_ids(person: Person) -> set[int]:
    """The ids of `person`'s contacts."""
    return set(Contact.objects.filter(person=person).values_list("contact_id", flat=True))


def shared_contacts(viewer: Person, other: Person):
    """Contacts that `viewer` and `other` have in common (colleagues who left are not)."""
    return (
        contacts_of(other)
        .active()
        .filter(pk__in=Contact.objects.filter(person=viewer).values("contact_id"))
    )


def path_between(viewer: Person, target: Person) -> list[Person] | None:
    """The shortest chain of contacts from `viewer` to `target`, at most two introductions.

    Only active colleagues can introduce. Returns [viewer, …, target], or None if
    they are further apart than that.
    """
    if viewer.pk == target.pk:
        return [viewer]
    if are_contacts(viewer, target):
        return [viewer, target]
    shared = shared_contacts(viewer, target).first()
    if shared is not None:
        return [viewer, shared, target]
    hop = (
        Contact.objects.filter(
            person__contact_of__person=viewer,
            contact__in=Contact.objects.filter(person=target).values("contact_id"),
        )
        .exclude(person=target)
        .exclude(contact=viewer)
        .filter(person__user__is_active=True, contact__user__is_active=True)
        .select_related("person", "contact")
        .order_by("person__name", "contact__name")
        .first()
    )
    if hop is None:
        return None
    return [viewer, hop.person, hop.contact, target]


@transaction.atomic
def send_invitation(sender: Person, recipient: Person, message: str = "") -> Invitation:
    """Invite `recipient` to become a contact of `sender`, with an optional message."""
    message = texts.clean(message).strip()
    if sender.pk == recipient.pk:
        raise ValidationError(_("You cannot invite yourself."), code="self_invitation")
    if not recipient.user.is_active:
        raise ValidationError(_("This colleague has left."), code="inactive")
    if len(message) > INVITATION_MESSAGE_MAX_CHARS:
        raise ValidationError(
            _("The message is too long (at most %(max)d characters)."),
            params={"max": INVITATION_MESSAGE_MAX_CHARS},
            code="too_long",
        )
    if are_contacts(sender, recipient):
        raise ValidationError(_("You are already contacts."), code="already_contacts")
    pending = Invitation.objects.filter(status=Invitation.Status.PENDING)
    if pending.filter(sender=sender, recipient=recipient).exists():
        raise ValidationError(
            _("You have already invited %(name)s."),
            params={"name": recipient.name},
            code="duplicate_invitation",
        )
    reverse_invitation = pending.filter(sender=recipient, recipient=sender).first()
    if reverse_invitation is not None:
        # They asked first: saying yes is what the sender meant.
        accept_invitation(sender, reverse_invitation)
        return reverse_invitation
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                sender=sender, recipient=recipient, message=message
            )
    except IntegrityError as error:
        raise ValidationError(_("You have already invited this colleague.")) from error
    notify(recipient, Notification.Kind.INVITATION, sender, invitation=invitation)
    return invitation


def _close_invitation(invitation: Invitation, status: str, **fields) -> None:
    """Move a still-pending invitation to `status`; checked in the database, so a
    second answer from a page loaded before the first one is refused."""
    changed = Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
        status=status, **fields
    )
    if not changed:
        raise ValidationError(_("This invitation has already been answered."), code="answered")
    invitation.status = status
    for name, value in fields.items():
        setattr(invitation, name, value)


def _answer_invitation(person: Person, invitation: Invitation, status: str) -> None:
    if invitation.recipient_id != person.pk:
        raise PermissionDenied(_("This invitation is not addressed to you."))
    _close_invitation(invitation, status, responded_at=timezone.now())


@transaction.atomic
def accept_invitation(person: Person, invitation: Invitation) -> None:
    """The recipient accepts: both become contacts of each other."""
    _answer_invitation(person, invitation, Invitation.Status.ACCEPTED)
    connect(invitation.sender, invitation.recipient)
    notify(
        invitation.sender,
        Notification.Kind.INVITATION_ACCEPTED,
        invitation.recipient,
        invitation=invitation,
    )


@transaction.atomic
def ignore_invitation(person: Person, invitation: Invitation) -> None:
    """The recipient ignores the invitation; the sender is not told."""
    _answer_invitation(person, invitation, Invitation.Status.IGNORED)


@transaction.atomic
def withdraw_invitation(person: Person, invitation: Invitation) -> None:
    """The sender takes back an invitation that is still pending."""
    if invitation.sender_id != person.pk:
        raise PermissionDenied(_("Only the sender can withdraw an invitation."))
    _close_invitation(invitation, Invitation.Status.WITHDRAWN)


def connect(a: Person, b: Person) -> None:
    """Make `a` and `b` contacts (both directions); used by invitations and imports."""
    Contact.objects.bulk_create(
        [Contact(person=a, contact=b), Contact(person=b, contact=a)], ignore_conflicts=True
    )


@transaction.atomic
def remove_contact(person: Person, other: Person) -> None:
    """End a contact, for both sides."""
    deleted, _count = Contact.objects.filter(person=person, contact=other).delete()
    if not deleted:
        raise ValidationError(_("You are not contacts."), code="not_contacts")
    Contact.objects.filter(person=other, contact=person).delete()


def follow_person(follower: Person, followed: Person) -> None:
    """Follow a colleague's posts; no invitation needed."""
    if follower.pk == followed.pk:
        raise ValidationError(_("You cannot follow yourself."), code="self_follow")
    PersonFollow.objects.get_or_create(follower=follower, followed=followed)


def unfollow_person(follower: Person, followed: Person) -> None:
    """Stop following a colleague."""
    PersonFollow.objects.filter(follower=follower, followed=followed).delete()


def is_following(follower: Person, followed: Person) -> bool:
    """True if `follower` follows `followed`."""
    return PersonFollow.objects.filter(follower=follower, followed=followed).exists()


def follow_tag(follower: Person, name: str) -> Tag:
    """Follow a tag by name (created if new)."""
    (tag,) = get_or_create_tags([name])
    TagFollow.objects.get_or_create(follower=follower, tag=tag)
    return tag


def unfollow_tag(follower: Person, tag: Tag) -> None:
    """Stop following a tag."""
    TagFollow.objects.filter(follower=follower, tag=tag).delete()


def pending_invitations_for(person: Person):
    """Invitations waiting for `person`'s answer, newest first."""
    return Invitation.objects.filter(
        recipient=person, status=Invitation.Status.PENDING
    ).select_related("sender__user", "sender__department")


def pending_invitation_between(sender: Person, recipient: Person) -> Invitation | None:
    """The pending invitation from `sender` to `recipient`, if any."""
    return Invitation.objects.filter(
        sender=sender, recipient=recipient, status=Invitation.Status.PENDING
    ).first()
