"""Who may read and edit wiki pages, their history and their attachments.

A page follows its owner:

- the organisation's wiki (pages without a community): every active colleague
  reads and edits;
- a community's wiki: readable exactly like the community's posts
  (`permissions.communities.readable_communities_filter`: open and moderated
  communities by every active colleague, restricted ones only by their current
  members); edited by the community's members only;
- a page's classification caps its wiki's audience (`permissions.classification`):
  an organisation wiki page above Internal (imported, say) is read only by the
  colleague who created it; a page above Internal in an open or moderated
  community's wiki only by the community's members;
- a deactivated colleague reads nothing.

Revisions, diffs, attachments and notifications about a page are as open as the
page itself: every read path asks `readable_pages_filter` or `can_read_page`.
"""

from django.db.models import Q

from kollega.communities.models import Community
from kollega.permissions import classification as cap
from kollega.permissions.communities import (
    can_read_community,
    community_content_filter,
    is_member,
)


def _active(person) -> bool:
    return person is not None and person.user.is_active


def readable_pages_filter(person, prefix: str = "") -> Q:
    """A Q selecting the pages `person` may read (`prefix` for related lookups)."""
    if not _active(person):
        return Q(pk__in=[])
    p = prefix
    organisation = Q(**{f"{p}community__isnull": True}) & (
        cap.within_cap(cap.ORGANISATION, p) | Q(**{f"{p}created_by": person})
    )
    return organisation | (
        Q(**{f"{p}community__isnull": False}) & community_content_filter(person, p)
    )


def can_read_wiki(person, community: Community | None) -> bool:
    """True if `person` may read the organisation's wiki (None) or `community`'s."""
    if community is None:
        return _active(person)
    return can_read_community(person, community)


def can_edit_wiki(person, community: Community | None) -> bool:
    """True if `person` may write pages in that wiki: any colleague, or members only."""
    if community is None:
        return _active(person)
    return is_member(person, community)


def can_read_page(person, page) -> bool:
    """True if `person` may read `page` (and so its revisions, diffs and attachments)."""
    from kollega.content.wikis.models import Page

    return (
        page.pk is not None
        and Page.objects.filter(pk=page.pk).filter(readable_pages_filter(person)).exists()
    )


def can_edit_page(person, page) -> bool:
    """Editors of its wiki who may also read the page itself."""
    return can_edit_wiki(person, page.community) and can_read_page(person, page)


def readers_of(page):
    """The people who may read `page`, as a Person queryset (for notifications)."""
    from kollega.communities.models import Membership
    from kollega.people.models import Person
    from kollega.permissions.communities import PUBLIC_KINDS

    people = Person.objects.active()
    wide = cap.ORGANISATION if page.community_id is None else cap.OPEN_COMMUNITY
    if page.classification <= cap.HIGHEST[wide] and (
        page.community_id is None or page.community.kind in PUBLIC_KINDS
    ):
        return people
    if page.community_id is None:
        return people.filter(pk=page.created_by_id)
    members = Membership.objects.filter(community_id=page.community_id).values("person_id")
    return people.filter(pk__in=members)
