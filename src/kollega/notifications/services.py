"""Notifications: created by other services, read through the permission module."""

from django.db import transaction
from django.utils import timezone

from kollega.notifications.models import Notification
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.permissions.notifications import visible_notifications_filter


def notify(recipient: Person, kind: str, actor: Person, **about) -> Notification | None:
    """Tell `recipient` that `actor` did something; never notify people of their own acts."""
    if recipient.pk == actor.pk or not recipient.user.is_active:
        return None
    return Notification.objects.create(recipient=recipient, kind=kind, actor=actor, **about)


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
