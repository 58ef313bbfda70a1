"""Communities: creating them, membership (join, request, invite, leave, remove,
owners), following, posting, pinning and moderation.

Each function takes the acting person first, checks permission through
`kollega.permissions.communities`, changes state in one transaction, logs
membership changes (MembershipEvent) and notifies. Reads that list
communities go through the same permission module.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
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
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions.communities import (
    can_read_community,
    can_see_community,
    is_member,
    is_owner,
    readable_communities_filter,
    visible_communities_filter,
)
from kollega.posts.models import Audience, Comment, Post
from kollega.posts.services import post_on_board
from kollega.posts.stream import StreamPage, stream_page
from kollega.tags.services import get_or_create_tags

NAME_MAX, DESCRIPTION_MAX, REASON_MAX, MESSAGE_MAX = 80, 2000, 500, 500
RECENT, BEFORE = timedelta(days=7), timedelta(days=28)

Kind, Role, What = Community.Kind, Membership.Role, MembershipEvent.What


# --- checks ---------------------------------------------------------------------------------


def _checked_name(name: str, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the community a name.")}, code="empty")
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX}},
            code="too_long",
        )
    taken = Community.objects.annotate(lower=Lower("name")).filter(lower=name.lower())
    if taken.exclude(pk=exclude).exists():
        raise ValidationError(
            {"name": _("There is already a community called “%(name)s”.") % {"name": name}},
            code="duplicate",
        )
    return name


def _checked_text(text: str, max_length: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > max_length:
        raise ValidationError(
            {field: _("Too long: at most %(max)d characters.") % {"max": max_length}},
            code="too_long",
        )
    return text


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80] or "community"
    slug, number = base, 1
    while Community.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _require_owner(person: Person, community: Community) -> None:
    if not is_owner(person, community):
        raise PermissionDenied(_("Only the community's owners may do this."))


def _require_active(person: Person) -> None:
    if not person.user.is_active:
        raise ValidationError(_("This colleague has left."), code="inactive")


def _locked(community: Community) -> Community:
    """The community row locked for the transaction (owner counts stay true under races)."""
    return Community.objects.select_for_update().get(pk=community.pk)


def _log(community: Community, actor: Person, person: Person, what: str) -> None:
    MembershipEvent.objects.create(community=community, actor=actor, person=person, what=what)


def _add_member(community: Community, person: Person, role: str = Role.MEMBER) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        community=community, person=person, defaults={"role": role}
    )
    CommunityFollow.objects.get_or_create(community=community, person=person)
    return membership


def _owners(community: Community):
    return Membership.objects.filter(community=community, role=Role.OWNER)


def _membership(community: Community, person: Person) -> Membership:
    membership = Membership.objects.filter(community=community, person=person).first()
    if membership is None:
        raise ValidationError(
            _("%(name)s is not a member.") % {"name": person.name}, code="not_member"
        )
    return membership


def _drop(community: Community, membership: Membership) -> None:
    """Remove a membership; the last owner stays."""
    if membership.role == Role.OWNER and _owners(community).count() <= 1:
        raise ValidationError(
            _("The last owner cannot leave; make someone else an owner first."),
            code="last_owner",
        )
    membership.delete()
    CommunityFollow.objects.filter(community=community, person_id=membership.person_id).delete()


# --- creating -------------------------------------------------------------------------------


@transaction.atomic
def create_community(
    person: Person,
    name: str,
    description: str = "",
    tags: list[str] | None = None,
    kind: str = Kind.OPEN,
) -> Community:
    """Create a community; its creator is its first owner (and follows it)."""
    _require_active(person)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown community type.")}, code="bad_kind")
    name = _checked_name(name)
    description = _checked_text(description, DESCRIPTION_MAX, "description")
    tag_rows = get_or_create_tags(tags or [])
    try:
        with transaction.atomic():
            community = Community.objects.create(
                name=name,
                slug=_unique_slug(name),
                description=description,
                kind=kind,
                created_by=person,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"name": _("There is already a community called “%(name)s”.") % {"name": name}}
        ) from error
    community.tags.set(tag_rows)
    _add_member(community, person, Role.OWNER)
    _log(community, person, person, What.CREATED)
    return community


@transaction.atomic
def update_community(
    person: Person, community: Community, name: str, description: str, tags: list[str]
) -> Community:
    """Owners change the name, description and tags (the type stays as it was made)."""
    _require_owner(person, community)
    community.name = _checked_name(name, exclude=community.pk)
    community.description = _checked_text(description, DESCRIPTION_MAX, "description")
    community.save(update_fields=["name", "description"])
    community.tags.set(get_or_create_tags(tags))
    return community


# --- joining --------------------------------------------------------------------------------


def _not_yet_member(person: Person, community: Community) -> None:
    if Membership.objects.filter(community=community, person=person).exists():
        raise ValidationError(_("You are already a member."), code="already_member")


@transaction.atomic
def join_community(person: Person, community: Community) -> Membership:
    """Join an open community with one click (or a restricted one one is invited to)."""
    _require_active(person)
    if community.kind == Kind.RESTRICTED:
        invitation = _pending_invitation(community, person)
        if invitation is None:
            raise PermissionDenied(_("This community is by invitation only."))
        return accept_community_invitation(person, invitation)
    _not_yet_member(person, community)
    if community.kind == Kind.MODERATED:
        raise ValidationError(
            _("The owners approve who joins this community: ask to join instead."),
            code="moderated",
        )
    membership = _add_member(community, person)
    _log(community, person, person, What.JOINED)
    return membership


@transaction.atomic
def request_membership(
    person: Person, community: Community, message: str = ""
) -> MembershipRequest:
    """Ask to join a moderated community; its owners are told."""
    _require_active(person)
    if not can_see_community(person, community):
        raise PermissionDenied(_("This community is by invitation only."))
    _not_yet_member(person, community)
    if community.kind != Kind.MODERATED:
        raise ValidationError(
            _("Anyone can join this community; no request is needed.")
            if community.kind == Kind.OPEN
            else _("This community is by invitation only."),
            code="not_moderated",
        )
    message = _checked_text(message, MESSAGE_MAX, "message")
    if _pending_request(community, person) is not None:
        raise ValidationError(_("You have already asked to join."), code="duplicate_request")
    request = MembershipRequest.objects.create(community=community, person=person, message=message)
    _log(community, person, person, What.REQUESTED)
    for owner in _owners(community).select_related("person__user"):
        notify(owner.person, Notification.Kind.COMMUNITY_REQUEST, person, community=community)
    return request


def _decide(person: Person, request: MembershipRequest, status: str) -> None:
    community = request.community
    if request.person_id == person.pk:
        raise PermissionDenied(_("You cannot decide on your own request."))
    _require_owner(person, community)
    changed = MembershipRequest.objects.filter(
        pk=request.pk, status=MembershipRequest.Status.PENDING
    ).update(status=status, decided_by=person, decided_at=timezone.now())
    if not changed:
        raise ValidationError(_("This request has already been answered."), code="answered")
    request.status = status


@transaction.atomic
def approve_request(person: Person, request: MembershipRequest) -> Membership:
    """An owner lets the colleague in; they are told."""
    _decide(person, request, MembershipRequest.Status.APPROVED)
    membership = _add_member(request.community, request.person)
    _log(request.community, person, request.person, What.APPROVED)
    notify(
        request.person,
        Notification.Kind.COMMUNITY_APPROVED,
        person,
        community=request.community,
    )
    return membership


@transaction.atomic
def refuse_request(person: Person, request: MembershipRequest) -> None:
    """An owner says no; the request is closed (the colleague may ask again later)."""
    _decide(person, request, MembershipRequest.Status.REFUSED)
    _log(request.community, person, request.person, What.REFUSED)


def _pending_request(community: Community, person: Person) -> MembershipRequest | None:
    return MembershipRequest.objects.filter(
        community=community, person=person, status=MembershipRequest.Status.PENDING
    ).first()


def _pending_invitation(community: Community, person: Person) -> CommunityInvitation | None:
    return CommunityInvitation.objects.filter(
        community=community, person=person, status=CommunityInvitation.Status.PENDING
    ).first()


@transaction.atomic
def invite_to_community(
    person: Person, community: Community, invitee: Person
) -> CommunityInvitation:
    """An owner invites a colleague (the only way into a restricted community).

    If the colleague has already asked to join, the invitation approves the request.
    """
    _require_owner(person, community)
    _require_active(invitee)
    if is_member(invitee, community):
        raise ValidationError(
            _("%(name)s is already a member.") % {"name": invitee.name}, code="already_member"
        )
    if _pending_invitation(community, invitee) is not None:
        raise ValidationError(
            _("%(name)s is already invited.") % {"name": invitee.name}, code="duplicate"
        )
    request = _pending_request(community, invitee)
    invitation = CommunityInvitation.objects.create(
        community=community, person=invitee, invited_by=person
    )
    _log(community, person, invitee, What.INVITED)
    if request is not None:
        approve_request(person, request)
        CommunityInvitation.objects.filter(pk=invitation.pk).update(
            status=CommunityInvitation.Status.ACCEPTED, responded_at=timezone.now()
        )
        return invitation
    notify(invitee, Notification.Kind.COMMUNITY_INVITATION, person, community=community)
    return invitation


def _answer(person: Person, invitation: CommunityInvitation, status: str) -> None:
    if invitation.person_id != person.pk:
        raise PermissionDenied(_("This invitation is not addressed to you."))
    changed = CommunityInvitation.objects.filter(
        pk=invitation.pk, status=CommunityInvitation.Status.PENDING
    ).update(status=status, responded_at=timezone.now())
    if not changed:
        raise ValidationError(_("This invitation has already been answered."), code="answered")
    invitation.status = status


@transaction.atomic
def accept_community_invitation(person: Person, invitation: CommunityInvitation) -> Membership:
    """The invited colleague joins."""
    _require_active(person)
    _answer(person, invitation, CommunityInvitation.Status.ACCEPTED)
    membership = _add_member(invitation.community, person)
    _log(invitation.community, person, person, What.ACCEPTED)
    return membership


@transaction.atomic
def decline_community_invitation(person: Person, invitation: CommunityInvitation) -> None:
    """The invited colleague says no; the owners are not told."""
    _answer(person, invitation, CommunityInvitation.Status.DECLINED)
    _log(invitation.community, person, person, What.DECLINED)


# --- leaving, removing, owners --------------------------------------------------------------


@transaction.atomic
def leave_community(person: Person, community: Community) -> None:
    """Leave a community; the last owner cannot."""
    community = _locked(community)
    _drop(community, _membership(community, person))
    _log(community, person, person, What.LEFT)


@transaction.atomic
def remove_member(person: Person, community: Community, member: Person) -> None:
    """An owner removes a member (or another owner, while one owner remains).

    For a restricted community the removed colleague loses sight of it at once.
    """
    community = _locked(community)
    _require_owner(person, community)
    _drop(community, _membership(community, member))
    _log(community, person, member, What.REMOVED)


@transaction.atomic
def make_owner(person: Person, community: Community, member: Person) -> Membership:
    """An owner makes a member an owner too."""
    community = _locked(community)
    _require_owner(person, community)
    membership = _membership(community, member)
    if membership.role == Role.OWNER:
        raise ValidationError(
            _("%(name)s is already an owner.") % {"name": member.name}, code="already_owner"
        )
    _require_active(member)
    membership.role = Role.OWNER
    membership.save(update_fields=["role"])
    _log(community, person, member, What.MADE_OWNER)
    return membership


@transaction.atomic
def make_member(person: Person, community: Community, owner: Person) -> Membership:
    """An owner makes an owner (themself included) a plain member; the last owner stays."""
    community = _locked(community)
    _require_owner(person, community)
    membership = _membership(community, owner)
    if membership.role != Role.OWNER:
        raise ValidationError(_("%(name)s is not an owner.") % {"name": owner.name})
    if _owners(community).count() <= 1:
        raise ValidationError(
            _("The last owner cannot stop being one; make someone else an owner first."),
            code="last_owner",
        )
    membership.role = Role.MEMBER
    membership.save(update_fields=["role"])
    _log(community, person, owner, What.MADE_MEMBER)
    return membership


# --- following ------------------------------------------------------------------------------


@transaction.atomic
def follow_community(person: Person, community: Community) -> bool:
    """Follow a community one may read; its posts appear under "My communities"."""
    if not can_read_community(person, community):
        raise PermissionDenied(_("This community is by invitation only."))
    _follow, created = CommunityFollow.objects.get_or_create(community=community, person=person)
    return created


@transaction.atomic
def unfollow_community(person: Person, community: Community) -> bool:
    """Stop following (members stay members)."""
    deleted, _details = CommunityFollow.objects.filter(community=community, person=person).delete()
    return bool(deleted)


# --- posts, pins and moderation -------------------------------------------------------------


def post_in_community(author: Person, community: Community, body: str) -> Post:
    """Post in a community (members only); the posting rules are the board's."""
    return post_on_board(author, body, audience=Audience.COMMUNITY, community=community)


@transaction.atomic
def pin_post(person: Person, community: Community, post: Post | None) -> None:
    """An owner pins one of the community's posts to its top (None unpins)."""
    _require_owner(person, community)
    if post is not None and post.community_id != community.pk:
        raise ValidationError(_("Only a post in this community can be pinned here."))
    Community.objects.filter(pk=community.pk).update(pinned_post=post)
    community.pinned_post = post


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is removed.")}, code="no_reason")
    return _checked_text(reason, REASON_MAX, "reason")


def _moderated(person: Person, post: Post) -> Community:
    if post.community_id is None:
        raise ValidationError(_("This post is not in a community."), code="not_community")
    community = post.community
    _require_owner(person, community)
    return community


@transaction.atomic
def remove_post(person: Person, post: Post, reason: str) -> ModerationLog:
    """An owner removes a post (and its comments) from the community; the author is told why."""
    community = _moderated(person, post)
    reason = _checked_reason(reason)
    log = ModerationLog.objects.create(
        community=community,
        moderator=person,
        author=post.author,
        what=ModerationLog.What.POST,
        removed_id=post.pk,
        excerpt=post.body[:300],
        reason=reason,
    )
    author = post.author
    post.delete()
    notify(
        author,
        Notification.Kind.COMMUNITY_POST_REMOVED,
        person,
        community=community,
        moderation=log,
    )
    return log


@transaction.atomic
def remove_comment(person: Person, comment: Comment, reason: str) -> ModerationLog:
    """An owner removes a comment from a post in the community; the author is told why."""
    post = comment.post
    community = _moderated(person, post)
    reason = _checked_reason(reason)
    log = ModerationLog.objects.create(
        community=community,
        moderator=person,
        author=comment.author,
        what=ModerationLog.What.COMMENT,
        removed_id=comment.pk,
        excerpt=comment.body[:300],
        reason=reason,
    )
    author = comment.author
    comment.delete()
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") - 1)
    notify(
        author,
        Notification.Kind.COMMUNITY_COMMENT_REMOVED,
        person,
        post=post,
        community=community,
        moderation=log,
    )
    return log


# --- reads ----------------------------------------------------------------------------------


def visible_community(viewer: Person, slug: str) -> Community | None:
    """The community with this slug if `viewer` may know it exists, else None."""
    return (
        Community.objects.filter(visible_communities_filter(viewer))
        .prefetch_related("tags")
        .filter(slug=slug)
        .first()
    )


def _count(qs, group: str):
    counted = qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


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


def mark_trends(communities) -> list[Community]:
    """Set `trend` on each annotated community (for pages and the API)."""
    communities = list(communities)
    for community in communities:
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
    """Where `person` stands: role, following, a pending request or invitation."""
    membership = Membership.objects.filter(community=community, person=person).first()
    return {
        "role": membership.role if membership else None,
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
    """The membership events and moderation log, for owners."""
    _require_owner(person, community)
    return (
        MembershipEvent.objects.filter(community=community).select_related("actor", "person")[:100],
        ModerationLog.objects.filter(community=community).select_related("moderator", "author")[
            :100
        ],
    )


def community_by_id(viewer: Person, community_id: int | None) -> Community | None:
    """The community with this id if `viewer` may see it; None for no id; 404 otherwise."""
    if not community_id:
        return None
    community = Community.objects.filter(visible_communities_filter(viewer), pk=community_id)
    community = community.first()
    if community is None:
        raise Http404
    return community
