"""Notifications: created by other services, read through the permission module."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.notifications.models import (
    MAIL_BURST_WINDOW,
    MailChoice,
    MailPreference,
    Notification,
    default_mail_choice,
)
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.permissions.notifications import visible_notifications_filter


def notify(recipient: Person, kind: str, actor: Person, **about) -> Notification | None:
    """Tell `recipient` that `actor` did something; never notify people of their own acts.

    If they want this kind by mail at once, the notification waits for the mail
    of its burst (`kollega.mail.notification_mails`).
    """
    if recipient.pk == actor.pk:
        return None
    return _notify(recipient, kind, actor, about)


def notify_from_outside(recipient: Person, kind: str, **about) -> Notification | None:
    """Tell `recipient` of something no colleague did (a mention of a watched term outside):
    the notification names the recipient as its actor. Mail as for `notify`."""
    return _notify(recipient, kind, recipient, about)


def _notify(recipient: Person, kind: str, actor: Person, about: dict) -> Notification | None:
    if not recipient.user.is_active:
        return None
    mail_due_at = None
    if mail_choice(recipient, kind) == MailChoice.AT_ONCE:
        mail_due_at = timezone.now() + MAIL_BURST_WINDOW
    return Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, mail_due_at=mail_due_at, **about
    )


def mail_choice(person: Person, kind: str) -> str:
    """When `person` wants mail about notifications of `kind`: at once, in the digest, never."""
    chosen = (
        MailPreference.objects.filter(person=person, kind=kind)
        .values_list("choice", flat=True)
        .first()
    )
    return chosen or default_mail_choice(kind)


def mail_choices(person: Person) -> dict[str, str]:
    """{kind: choice} for every kind of notification, defaults filled in, in the kinds' order."""
    chosen = dict(MailPreference.objects.filter(person=person).values_list("kind", "choice"))
    return with_default_choices(chosen)


def with_default_choices(chosen: dict[str, str]) -> dict[str, str]:
    """{kind: choice} for every kind of notification: `chosen`'s, else the kind's default."""
    return {kind: chosen.get(kind, default_mail_choice(kind)) for kind in Notification.Kind.values}


@transaction.atomic
def set_mail_choices(person: Person, choices: dict[str, str]) -> dict[str, str]:
    """Change some of `person`'s mail choices; an unknown kind or choice changes nothing.

    Raises ValidationError naming each bad entry. Returns every choice afterwards.
    A kind no longer wanted at once stops waiting for its at-once mail.
    """
    errors = []
    for kind, choice in choices.items():
        if kind not in Notification.Kind.values:
            errors.append(_("%(kind)s is not a kind of notification.") % {"kind": str(kind)[:60]})
        elif choice not in MailChoice.values:
            errors.append(
                _("%(kind)s: choose one of %(choices)s.")
                % {"kind": kind, "choices": ", ".join(MailChoice.values)}
            )
    if errors:
        raise ValidationError(errors)
    for kind, choice in choices.items():
        MailPreference.objects.update_or_create(
            person=person, kind=kind, defaults={"choice": choice}
        )
    not_at_once = [kind for kind, choice in choices.items() if choice != MailChoice.AT_ONCE]
    Notification.objects.filter(
        recipient=person, kind__in=not_at_once, mail_due_at__isnull=False
    ).update(mail_due_at=None)
    return mail_choices(person)


def notifications_for(person: Person):
    """The notifications `person` may see, newest first."""
    return (
        Notification.objects.filter(visible_notifications_filter(person))
        .select_related("actor__user", "post", "comment", "answer", "invitation", "tag")
        .order_by("-created_at", "-id")
    )


def visible_notification(person: Person, notification_id: int) -> Notification:
    """One of `person`'s notifications, if it is still shown to them; else `NotFound`."""
    notification = notifications_for(person).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound
    return notification


def unread_count(person: Person) -> int:
    """How many visible notifications `person` has not read."""
    # Every page's top bar asks; most of the time there is nothing unread, and that
    # is known without building the visibility query.
    if not Notification.objects.filter(recipient=person, read_at__isnull=True).exists():
        return 0
    return notifications_for(person).filter(read_at__isnull=True).count()


@transaction.atomic
def mark_all_read(person: Person) -> int:
    """Mark every notification of `person` read; returns how many changed."""
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_read(person: Person, notification_id: int) -> bool:
    """Mark one of `person`'s notifications read."""
    return bool(
        Notification.objects.filter(
            recipient=person, pk=notification_id, read_at__isnull=True
        ).update(read_at=timezone.now())
    )
