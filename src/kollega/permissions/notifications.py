"""A notification is shown only while what it points at is still visible."""

from django.db.models import Q

from kollega.communities.models import Community
from kollega.permissions.communities import visible_communities_filter
from kollega.permissions.listening import workable_mentions_filter
from kollega.permissions.posts import visible_filter
from kollega.permissions.wikis import readable_pages_filter


def visible_notifications_filter(person) -> Q:
    """Notifications of `person` whose post (if any) `person` may still see.

    An invitation the sender withdrew is no longer news either, and a notification
    about a community (an invitation, a removed post) shows only while `person`
    may still see that community (a restricted one: while they are a member).
    """
    withdrawn = Q(invitation__status="withdrawn")
    communities = Community.objects.filter(visible_communities_filter(person)).values("pk")
    return (
        Q(recipient=person)
        & ~withdrawn
        & (Q(post__isnull=True) | visible_filter(person, prefix="post__"))
        & (Q(community__isnull=True) | Q(community__in=communities))
        & (Q(wiki_page__isnull=True) | readable_pages_filter(person, prefix="wiki_page__"))
        & (
            Q(listening_mention__isnull=True)
            | Q(listening_mention__in=_mentions().filter(workable_mentions_filter(person)))
        )
    )


def _mentions():
    from kollega.listening.models import Mention

    return Mention.objects.values("pk")
