"""A notification is shown only while what it points at is still visible."""

from django.db.models import Q

from kollega.permissions.posts import visible_filter


def visible_notifications_filter(person) -> Q:
    """Notifications of `person` whose post (if any) `person` may still see.

    An invitation the sender withdrew is no longer news either.
    """
    withdrawn = Q(invitation__status="withdrawn")
    return (
        Q(recipient=person)
        & ~withdrawn
        & (Q(post__isnull=True) | visible_filter(person, prefix="post__"))
    )
