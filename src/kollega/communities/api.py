"""API: communities, their members, membership actions and their stream.

Every read goes through the permission module: a community the caller may not
see (a restricted one they are not in) answers 404, like one that does not
exist; its members and posts answer 404 to someone only invited.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import model_serializer

from kollega.api.lookups import person_named, post_or_404
from kollega.api.schemas import (
    ClassificationName,
    Classified,
    CursorPage,
    OffsetPage,
    OffsetParams,
    PersonRef,
    PostOut,
    absolute_url,
    choice_of,
    classification_in,
    offset_page,
    responses,
)
from kollega.communities import services
from kollega.communities.models import Community, Membership, MembershipRequest
from kollega.guard.schemas import GuardOverride
from kollega.limits import API_PAGE_ITEMS, API_PAGE_MAX_ITEMS
from kollega.posts.services import recommended_ids

router = Router()


CARD_ONLY = (
    "for a colleague only invited to a restricted community, who sees its card alone "
    "(slug, name, description, kind, tags, url)"
)


class CommunityOut(Classified):
    slug: str
    name: str
    description: str
    kind: choice_of(Community.Kind) = Field(
        description="open: anyone joins; moderated: owners approve requests; "
        "restricted: invisible to non-members, by invitation only."
    )
    tags: list[str]
    member_count: int = Field(None, description=f"Absent {CARD_ONLY}.")
    last_activity_at: datetime = Field(None, description=f"Absent {CARD_ONLY}.")
    trend: str = Field(
        None,
        description="rising, sinking or steady: the last 7 days against the 28 before. "
        f"Absent {CARD_ONLY}.",
    )
    url: str
    card_only: bool = Field(False, exclude=True)

    @model_serializer(mode="wrap")
    def _card(self, handler):
        """A colleague only invited to a restricted community gets its card alone."""
        shown = handler(self)
        if self.card_only:
            for name in ("member_count", "last_activity_at", "trend", "pinned_post_id"):
                shown.pop(name, None)
        return shown

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class StandingOut(Schema):
    role: choice_of(Membership.Role) | None = Field(description="The caller's role, if a member.")
    following: bool
    requested: bool = Field(description="The caller has a pending request to join.")
    invited: bool = Field(description="The caller has a pending invitation.")


class CommunityDetail(CommunityOut):
    pinned_post_id: int | None = Field(None, description=f"Absent {CARD_ONLY}.")
    me: StandingOut


class CommunityIn(Schema):
    name: str
    description: str = ""
    tags: list[str] = []
    kind: choice_of(Community.Kind) = Community.Kind.OPEN.value
    classification: ClassificationName | None = Field(
        None,
        description="The floor for what is written in it: its content defaults to this level "
        "and cannot be lower. confidential and strictly_confidential need a restricted "
        "community. Omitted: internal.",
    )


class MemberOut(Schema):
    person: PersonRef
    role: choice_of(Membership.Role)
    joined_at: datetime


class RequestOut(Schema):
    id: int
    person: PersonRef
    message: str
    status: choice_of(MembershipRequest.Status)
    created_at: datetime


class DirectoryParams(OffsetParams):
    q: str = Field("", description="Part of a name or tag.")


class CursorParams(Schema):
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page.")
    limit: int = Field(API_PAGE_ITEMS, ge=1, le=API_PAGE_MAX_ITEMS, description="Posts per page.")


class PersonIn(Schema):
    username: str


class MessageIn(Schema):
    message: str = ""


class BodyIn(Schema):
    body: str
    guard_override: GuardOverride = None


class CommunityPostIn(BodyIn):
    classification: ClassificationName | None = classification_in(
        "the community's level (and never lower)"
    )


class ReasonIn(Schema):
    reason: str


class PinIn(Schema):
    post_id: int | None = Field(description="The post to pin; null unpins.")


def _community(request, slug: str) -> Community:
    return services.visible_community(request.auth, slug)


def _readable(request, slug: str) -> Community:
    return services.readable_community(request.auth, slug)


def _detail(request, community: Community) -> Community:
    community = services.community_with_activity(request.auth, community)
    standing = services.standing(request.auth, community)
    community.me = {
        "role": standing["role"],
        "following": standing["following"],
        "requested": standing["request"] is not None,
        "invited": standing["invitation"] is not None,
    }
    return community


@router.get("/communities", response=responses({200: OffsetPage[CommunityOut]}, 400))
def list_communities(request, params: Query[DirectoryParams]):
    """The communities the caller may see, most recent activity first (`q`: name or tag)."""
    page = offset_page(services.community_directory(request.auth, params.q), params)
    page["items"] = services.mark_trends(page["items"], request.auth)
    return page


@router.post("/communities", response=responses({201: CommunityDetail}, 400))
def create_community(request, payload: CommunityIn):
    """Create a community; the caller becomes its first owner."""
    community = services.create_community(
        request.auth,
        payload.name,
        payload.description,
        payload.tags,
        payload.kind,
        classification=payload.classification,
    )
    return Status(201, _detail(request, community))


@router.get("/communities/{slug}", response=responses({200: CommunityDetail}, 404))
def get_community(request, slug: str):
    """One community and where the caller stands in it."""
    return _detail(request, _community(request, slug))


@router.get("/communities/{slug}/members", response=responses({200: OffsetPage[MemberOut]}, 404))
def list_community_members(request, slug: str, params: Query[OffsetParams]):
    """Owners first, then members by name (restricted: members only)."""
    return offset_page(services.members_of(_readable(request, slug)), params)


@router.get("/communities/{slug}/stream", response=responses({200: CursorPage[PostOut]}, 400, 404))
def get_community_stream(request, slug: str, params: Query[CursorParams]):
    """The community's posts, newest activity first, paged like the home stream."""
    page = services.community_stream(
        request.auth, _readable(request, slug), params.cursor, params.limit
    )
    mine = recommended_ids(request.auth, page.posts)
    for post in page.posts:
        post.recommended_by_me = post.pk in mine
    return {"items": page.posts, "next_cursor": page.next_cursor}


@router.post("/communities/{slug}/posts", response=responses({201: PostOut}, 400, 403, 404))
def post_in_community(request, slug: str, payload: CommunityPostIn):
    """Post in a community (members only)."""
    post = services.post_in_community(
        request.auth,
        _community(request, slug),
        payload.body,
        guard_override=payload.guard_override,
        classification=payload.classification,
    )
    return Status(201, post_or_404(request.auth, post.pk))


@router.post("/communities/{slug}/join", response=responses({204: None}, 400, 403, 404))
def join_community(request, slug: str):
    """Join an open community. A restricted one answers 403, invited or not: an invited
    caller accepts with `POST /communities/{slug}/invitation/accept`, the only way in."""
    community = _community(request, slug)
    if community.kind == Community.Kind.RESTRICTED:
        raise PermissionDenied(
            _("This community is by invitation only: accept an invitation with POST %(path)s.")
            % {"path": f"/api/v1/communities/{community.slug}/invitation/accept"}
        )
    services.join_community(request.auth, community)
    return Status(204, None)


@router.post("/communities/{slug}/leave", response=responses({204: None}, 400, 404))
def leave_community(request, slug: str):
    """Leave a community; the last owner cannot."""
    services.leave_community(request.auth, _community(request, slug))
    return Status(204, None)


@router.get("/communities/{slug}/requests", response=responses({200: list[RequestOut]}, 404))
def list_membership_requests(request, slug: str):
    """Pending requests to join (owners only; empty for anyone else)."""
    return list(services.pending_requests(request.auth, _community(request, slug)))


@router.post("/communities/{slug}/requests", response=responses({201: RequestOut}, 400, 403, 404))
def request_membership(request, slug: str, payload: MessageIn):
    """Ask to join a moderated community; the owners are told."""
    community = _community(request, slug)
    return Status(201, services.request_membership(request.auth, community, payload.message))


@router.post(
    "/communities/{slug}/requests/{request_id}/approve",
    response=responses({204: None}, 400, 403, 404),
)
def approve_membership_request(request, slug: str, request_id: int):
    """An owner lets the colleague in."""
    community = _community(request, slug)
    services.approve_request(
        request.auth, services.request_by_id(request.auth, community, request_id)
    )
    return Status(204, None)


@router.post(
    "/communities/{slug}/requests/{request_id}/refuse",
    response=responses({204: None}, 400, 403, 404),
)
def refuse_membership_request(request, slug: str, request_id: int):
    """An owner says no."""
    community = _community(request, slug)
    services.refuse_request(
        request.auth, services.request_by_id(request.auth, community, request_id)
    )
    return Status(204, None)


@router.post("/communities/{slug}/invitations", response=responses({204: None}, 400, 403, 404))
def invite_to_community(request, slug: str, payload: PersonIn):
    """An owner invites a colleague (`username`)."""
    community = _community(request, slug)
    services.invite_to_community(request.auth, community, person_named(payload.username))
    return Status(204, None)


@router.post("/communities/{slug}/invitation/accept", response=responses({204: None}, 400, 404))
def accept_community_invitation(request, slug: str):
    """The invited caller joins."""
    community = _community(request, slug)
    services.accept_community_invitation(
        request.auth, services.invitation_for(request.auth, community)
    )
    return Status(204, None)


@router.post("/communities/{slug}/invitation/decline", response=responses({204: None}, 400, 404))
def decline_community_invitation(request, slug: str):
    """The invited caller says no."""
    community = _community(request, slug)
    services.decline_community_invitation(
        request.auth, services.invitation_for(request.auth, community)
    )
    return Status(204, None)


@router.delete(
    "/communities/{slug}/members/{username}", response=responses({204: None}, 400, 403, 404)
)
def remove_community_member(request, slug: str, username: str):
    """An owner removes a member (not the last owner)."""
    community = _community(request, slug)
    services.remove_member(request.auth, community, person_named(username))
    return Status(204, None)


@router.post(
    "/communities/{slug}/members/{username}/owner", response=responses({204: None}, 400, 403, 404)
)
def make_community_owner(request, slug: str, username: str):
    """An owner makes a member an owner."""
    community = _community(request, slug)
    services.make_owner(request.auth, community, person_named(username))
    return Status(204, None)


@router.delete(
    "/communities/{slug}/members/{username}/owner", response=responses({204: None}, 400, 403, 404)
)
def make_community_member(request, slug: str, username: str):
    """An owner makes an owner a plain member (not the last owner)."""
    community = _community(request, slug)
    services.make_member(request.auth, community, person_named(username))
    return Status(204, None)


@router.post("/communities/{slug}/follow", response=responses({204: None}, 403, 404))
def follow_community(request, slug: str):
    """Follow a community: its posts appear in the `communities` stream filter."""
    services.follow_community(request.auth, _community(request, slug))
    return Status(204, None)


@router.delete("/communities/{slug}/follow", response=responses({204: None}, 404))
def unfollow_community(request, slug: str):
    """Stop following a community."""
    services.unfollow_community(request.auth, _community(request, slug))
    return Status(204, None)


@router.put("/communities/{slug}/pin", response=responses({204: None}, 400, 403, 404))
def pin_community_post(request, slug: str, payload: PinIn):
    """An owner pins a post of the community to its top (null unpins)."""
    community = _community(request, slug)
    post = post_or_404(request.auth, payload.post_id) if payload.post_id else None
    services.pin_post(request.auth, community, post)
    return Status(204, None)


@router.post(
    "/communities/{slug}/posts/{post_id}/removal", response=responses({204: None}, 400, 403, 404)
)
def remove_community_post(request, slug: str, post_id: int, payload: ReasonIn):
    """An owner removes a post from the community with a reason; the author is told."""
    post = services.community_post(request.auth, _readable(request, slug), post_id)
    services.remove_post(request.auth, post, payload.reason)
    return Status(204, None)


@router.post(
    "/communities/{slug}/posts/{post_id}/comments/{comment_id}/removal",
    response=responses({204: None}, 400, 403, 404),
)
def remove_community_comment(request, slug: str, post_id: int, comment_id: int, payload: ReasonIn):
    """An owner removes a comment under a community post with a reason; the author is told."""
    community = _readable(request, slug)
    comment = services.community_comment(request.auth, community, comment_id, post_id=post_id)
    services.remove_comment(request.auth, comment, payload.reason)
    return Status(204, None)
