"""Reads: finding communities, the directory and its activity, streams, members.

`visible_community`, `readable_community` and `owned_community` are the one way
pages and the API reach a community (and `community_post`, `community_comment`
what is posted in it): each returns the object or raises `NotFound` (404), never
saying whether a community one may not see exists.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.communities.models import (
    Community,
    CommunityFollow,
    CommunityInvitation,
    Membership,
    MembershipEvent,
    MembershipRequest,
    ModerationLog,
)
from kollega.communities.services._common import (
    BEFORE,
    RECENT,
    _pending_invitation,
    _pending_request,
)
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.permissions.communities import (
    can_read_community,
    card_only_ids,
    is_owner,
    readable_communities_filter,
    visible_communities_filter,
)
from kollega.posts.models import Comment, Post
from kollega.posts.services import visible_post
from kollega.posts.stream import StreamPage, stream_page

# --- reaching one community and what is in it ------------------------------------------------


def visible_community(viewer: Person, slug: str) -> Community:
    """The community with this slug if `viewer` may know it exists (see at least its
    card); else `NotFound`."""
    community = (
        Community.objects.filter(visible_communities_filter(viewer))
        .prefetch_related("tags")
        .filter(slug=slug)
        .first()
    )
    if community is None:
        raise NotFound
    return community


def readable_community(viewer: Person, slug: str) -> Community:
    """The community with this slug if `viewer` may see its members and posts; else
    `NotFound` (also for a colleague only invited, who sees its card alone)."""
    community = visible_community(viewer, slug)
    if not can_read_community(viewer, community):
        raise NotFound
    return community


def owned_community(person: Person, slug: str) -> Community:
    """The community with this slug if `person` runs it: `NotFound` if they may not
    see it, `PermissionDenied` if they may but are not one of its owners."""
    community = visible_community(person, slug)
    if not is_owner(person, community):
        raise PermissionDenied
    return community


def community_by_id(viewer: Person, community_id: int | None) -> Community | None:
    """The community with this id if `viewer` may see it; None for no id; else `NotFound`."""
    if not community_id:
        return None
    community = Community.objects.filter(visible_communities_filter(viewer), pk=community_id)
    community = community.first()
    if community is None:
        raise NotFound
    return community


def _post_or_none(viewer: Person, post_id: int, card: bool = False) -> Post | None:
    try:
        return visible_post(viewer, post_id, card=card)
    except NotFound:
        return None


def community_post(viewer: Person, community: Community, post_id: int) -> Post:
    """The post with this id if it is in `community` and `viewer` may see it; else `NotFound`."""
    post = _post_or_none(viewer, post_id)
    if post is None or post.community_id != community.pk:
        raise NotFound
    return post


def community_comment(
    viewer: Person, community: Community, comment_id: int, post_id: int | None = None
) -> Comment:
    """The comment with this id if it is under a post of `community` (the post `post_id`,
    when given) that `viewer` may see; else `NotFound`."""
    comment = (
        Comment.objects.select_related("post__community", "author").filter(pk=comment_id).first()
    )
    if comment is None or (post_id is not None and comment.post_id != post_id):
        raise NotFound
    if comment.post.community_id != community.pk or _post_or_none(viewer, comment.post_id) is None:
        raise NotFound
    return comment


def pinned_post(viewer: Person, community: Community) -> Post | None:
    """The community's pinned post, as its card shows it, if `viewer` may see it."""
    if not community.pinned_post_id:
        return None
    return _post_or_none(viewer, community.pinned_post_id, card=True)


# --- reads ----------------------------------------------------------------------------------


def _count(qs, group: str):
    counted = qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def community_with_activity(viewer: Person, community: Community) -> Community:
    """`community` (one `viewer` may see) with its activity and trend, or its card alone
    for a colleague only invited (see `mark_trends`)."""
    communities = with_activity(Community.objects.filter(pk=community.pk))
    return mark_trends(communities.prefetch_related("tags"), viewer)[0]


def with_activity(communities, now=None):
    """Annotate last activity, members, and posts+comments in the last 7 days (`recent`)
    and in the 28 days before (`before`)."""
    now = now or timezone.now()
    week_ago, month_before = now - RECENT, now - RECENT - BEFORE
    posts = Post.objects.filter(community=OuterRef("pk"))
    comments = Comment.objects.filter(post__community=OuterRef("pk"))
    latest = posts.order_by("-last_activity_at").values("last_activity_at")[:1]
    return communities.annotate(
        last_activity_at=Greatest(Coalesce(Subquery(latest), F("created_at")), F("created_at")),
        member_count=_count(Membership.objects.filter(community=OuterRef("pk")), "community"),
        recent=_count(posts.filter(created_at__gte=week_ago), "community")
        + _count(comments.filter(created_at__gte=week_ago), "post__community"),
        before=_count(
            posts.filter(created_at__gte=month_before, created_at__lt=week_ago), "community"
        )
        + _count(
            comments.filter(created_at__gte=month_before, created_at__lt=week_ago),
            "post__community",
        ),
    )


def trend(recent: int, before: int) -> str:
    """'rising', 'sinking' or 'steady': the last week against the weekly average of the
    four weeks before it (rising: at least 2 and half as much again; sinking: at most
    half of a weekly average of at least 1)."""
    weekly = before / 4
    if recent >= 2 and recent >= 1.5 * weekly:
        return "rising"
    if weekly >= 1 and recent <= 0.5 * weekly:
        return "sinking"
    return "steady"


def community_directory(viewer: Person, query: str = ""):
    """The communities `viewer` may see, most recent activity first; inactive ones sink
    to the end but a name or tag `query` still finds them."""
    communities = Community.objects.filter(visible_communities_filter(viewer))
    query = (query or "").strip().lstrip("#")
    if query:
        communities = communities.filter(
            Q(name__icontains=query) | Q(tags__name__icontains=query.lower())
        ).distinct()
    return with_activity(communities).prefetch_related("tags").order_by("-last_activity_at", "name")


# What only those who may read a community see of it: an invitee sees its card alone.
ACTIVITY = ("member_count", "last_activity_at", "recent", "before", "trend")


def mark_trends(communities, viewer: Person | None = None) -> list[Community]:
    """Set `trend` on each annotated community (for pages and the API).

    With `viewer`, a community they see only the card of (a restricted one they
    are invited to) is marked `card_only` and loses its counts, activity and trend.
    """
    communities = list(communities)
    card_only = set()
    if viewer is not None:
        card_only = card_only_ids(viewer, [c.pk for c in communities])
    for community in communities:
        community.card_only = community.pk in card_only
        if community.card_only:
            for name in ACTIVITY:
                community.__dict__.pop(name, None)
        else:
            community.trend = trend(community.recent, community.before)
    return communities


def community_posts(viewer: Person, community: Community):
    """The posts of a community that `viewer` may see, newest activity first."""
    return (
        Post.objects.visible_to(viewer)
        .filter(community=community)
        .for_display()
        .newest_activity_first()
    )


def community_stream(
    viewer: Person, community: Community, cursor: str | None = None, limit: int | None = None
) -> StreamPage:
    """One page of a community's stream (the home stream's cursor and page shape)."""
    return stream_page(community_posts(viewer, community), cursor, limit)


def members_of(community: Community):
    """Memberships, owners first, then by name."""
    return (
        Membership.objects.filter(community=community)
        .select_related("person__user", "person__department")
        .order_by("-role", "person__name")
        .filter(person__user__is_active=True)
    )


def communities_of(person: Person, viewer: Person):
    """The communities `person` is in that `viewer` may read (a profile's list)."""
    return Community.objects.filter(readable_communities_filter(viewer)).filter(
        memberships__person=person
    )


def my_communities(person: Person):
    """The communities `person` is a member of, by name (for the composer)."""
    return Community.objects.filter(memberships__person=person).order_by("name")


def pending_requests(person: Person, community: Community):
    """Open requests to join, for the community's owners (empty for anyone else)."""
    if not is_owner(person, community):
        return MembershipRequest.objects.none()
    return MembershipRequest.objects.filter(
        community=community, status=MembershipRequest.Status.PENDING
    ).select_related("person__user")


def standing(person: Person, community: Community) -> dict:
    """Where `person` stands: role, whether they may read it and run it, following, a
    pending request or invitation."""
    membership = Membership.objects.filter(community=community, person=person).first()
    return {
        "role": membership.role if membership else None,
        "readable": can_read_community(person, community),
        "owner": is_owner(person, community),
        "following": CommunityFollow.objects.filter(community=community, person=person).exists(),
        "request": _pending_request(community, person),
        "invitation": _pending_invitation(community, person),
    }


def request_by_id(person: Person, community: Community, request_id: int) -> MembershipRequest:
    """A pending request an owner may decide on; otherwise a clear error."""
    request = (
        MembershipRequest.objects.filter(community=community, pk=request_id)
        .select_related("person__user", "community")
        .first()
    )
    if request is None:
        raise ValidationError(_("There is no such request."), code="no_request")
    return request


def invitation_for(person: Person, community: Community) -> CommunityInvitation:
    """`person`'s pending invitation to `community`, or a clear error."""
    invitation = _pending_invitation(community, person)
    if invitation is None:
        raise ValidationError(_("You have no invitation to this community."), code="no_invitation")
    return invitation


def membership_log(person: Person, community: Community):
    """The membership events and moderation log, for owners; `NotFound` for anyone else
    (the log is a page only owners know of)."""
    if not is_owner(person, community):
        raise NotFound
    return (
        MembershipEvent.objects.filter(community=community).select_related("actor", "person")[:100],
        ModerationLog.objects.filter(community=community).select_related("moderator", "author")[
            :100
        ],
    )
