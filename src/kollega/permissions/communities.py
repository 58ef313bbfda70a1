"""Who may see a community, read it, post in it and run it.

- open and moderated communities: every active colleague sees them, their
  members, tags and posts;
- restricted communities: only their current members see them at all — not in
  the directory, streams, profiles, the API or notifications. A colleague with
  a pending invitation also sees the community's card (name, description,
  tags, type) so they can decide, but not its members or posts;
- posting needs membership; owners run the community (invite, approve,
  remove, pin, moderate);
- a deactivated colleague sees nothing;
- content in a community is read by its current members; in an open or
  moderated one also by every other colleague, up to the level such a
  community may carry (`community_content_filter`, with the cap of
  `permissions.classification`): Confidential content in an open community
  (imported, or written before the community changed) stays with its members.

Membership is read from the database on every request, so a removal takes
effect at once, on every read path.
"""

from django.db.models import Q

from kollega.communities.models import Community, CommunityInvitation, Membership
from kollega.permissions.classification import OPEN_COMMUNITY, within_cap

PUBLIC_KINDS = (Community.Kind.OPEN, Community.Kind.MODERATED)


def _active(person) -> bool:
    return person is not None and person.user.is_active


def member_community_ids(person):
    """The ids of the communities `person` is a member of (a subquery)."""
    return Membership.objects.filter(person=person).values("community_id")


def readable_communities_filter(person, prefix: str = "") -> Q:
    """Communities whose members and posts `person` may see: public ones, or their own."""
    if not _active(person):
        return Q(pk__in=[])
    return Q(**{f"{prefix}kind__in": PUBLIC_KINDS}) | Q(
        **{f"{prefix}pk__in": member_community_ids(person)}
    )


def community_content_filter(person, prefix: str = "") -> Q:
    """Items in a community (at `prefix`) that `person` may read, by the community and the level.

    Members read everything in their communities; others read what an open or
    moderated community may carry (not restricted ones at all).
    """
    if not _active(person):
        return Q(pk__in=[])
    public = Community.objects.filter(kind__in=PUBLIC_KINDS).values("pk")
    return Q(**{f"{prefix}community__in": member_community_ids(person)}) | (
        Q(**{f"{prefix}community__in": public}) & within_cap(OPEN_COMMUNITY, prefix)
    )


def visible_communities_filter(person) -> Q:
    """Communities `person` may know exist: readable ones, and those they are invited to."""
    if not _active(person):
        return Q(pk__in=[])
    invited = CommunityInvitation.objects.filter(
        person=person, status=CommunityInvitation.Status.PENDING
    ).values("community_id")
    return readable_communities_filter(person) | Q(pk__in=invited)


def visible_memberships_filter(person, prefix: str = "") -> Q:
    """Memberships `person` may see: those of communities they may read.

    An invitation shows a restricted community's card, never who is in it, so
    an invitee (like any outsider) sees none of its memberships — not on the
    member list, a profile, or as evidence of who knows about something.
    """
    return readable_communities_filter(person, prefix=f"{prefix}community__")


def card_only_ids(person, community_ids) -> set[int]:
    """Of `community_ids` (all visible to `person`), those they see only the card of.

    A colleague invited to a restricted community sees its name, description,
    tags and kind so they can decide; not its members, activity or posts.
    """
    ids = set(community_ids)
    if not ids:
        return set()
    readable = Community.objects.filter(readable_communities_filter(person), pk__in=ids)
    return ids - set(readable.values_list("pk", flat=True))


def can_see_community(person, community: Community) -> bool:
    """True if `person` may know `community` exists (its card: name, description, tags)."""
    return (
        Community.objects.filter(pk=community.pk)
        .filter(visible_communities_filter(person))
        .exists()
    )


def can_read_community(person, community: Community) -> bool:
    """True if `person` may see `community`'s members and posts."""
    if not _active(person):
        return False
    return community.kind in PUBLIC_KINDS or is_member(person, community)


def is_member(person, community: Community) -> bool:
    return (
        _active(person) and Membership.objects.filter(community=community, person=person).exists()
    )


def is_owner(person, community: Community) -> bool:
    """True if `person` is an owner of `community` (and still active)."""
    return (
        _active(person)
        and Membership.objects.filter(
            community=community, person=person, role=Membership.Role.OWNER
        ).exists()
    )


def can_post_in(person, community: Community) -> bool:
    """Members (and only members) post in a community."""
    return is_member(person, community)
