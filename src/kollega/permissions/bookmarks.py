"""Visibility of bookmarks, and of the "who else saved this" counts built from them.

A bookmark's audience decides who may see it:

- private ("only me"): its owner;
- network: its owner and the owner's contacts;
- organisation: every colleague;
- community: every colleague for open and moderated communities, only the
  current members for restricted ones — not even the owner once removed (as
  with posts: `permissions.communities.community_content_filter`);
- the bookmark's classification caps each audience (`permissions.classification`):
  beyond it — Confidential to the organisation or an open community, Strictly
  confidential to a network — only its owner (in a community: its members)
  sees it.

A deactivated colleague sees nothing. Every read path — pages, the API, the
"saved by N colleagues" counts, community lists, exports — filters through
`visible_bookmarks_filter`, so a private or restricted bookmark is never even
counted for someone who may not see it.
"""

from django.db.models import Q

from kollega.network.models import Contact
from kollega.permissions import classification as cap
from kollega.permissions.communities import community_content_filter


def visible_bookmarks_filter(person, prefix: str = "") -> Q:
    """A Q selecting the bookmarks `person` may see (`prefix` for related lookups)."""
    if person is None or not person.user.is_active:
        return Q(pk__in=[])
    p = prefix
    contacts = Contact.objects.filter(person=person).values("contact_id")
    return (
        (Q(**{f"{p}audience": "organisation"}) & cap.within_cap(cap.ORGANISATION, p))
        | Q(**{f"{p}audience__in": ("private", "network", "organisation"), f"{p}person": person})
        | (
            Q(**{f"{p}audience": "network", f"{p}person__in": contacts})
            & cap.within_cap(cap.NETWORK, p)
        )
        | (Q(**{f"{p}audience": "community"}) & community_content_filter(person, p))
    )


def can_see_bookmark(person, bookmark) -> bool:
    """True if `person` may see `bookmark`."""
    from kollega.content.bookmarks.models import Bookmark

    return Bookmark.objects.filter(pk=bookmark.pk).filter(visible_bookmarks_filter(person)).exists()


def can_change_bookmark(person, bookmark) -> bool:
    """Only its owner edits or deletes a bookmark (while they may still see it)."""
    return bookmark.person_id == person.pk and can_see_bookmark(person, bookmark)
