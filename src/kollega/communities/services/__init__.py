"""Communities: creating them, membership (join, request, invite, leave, remove,
owners), following, posting, pinning and moderation.

Each function takes the acting person first, checks permission through
`kollega.permissions.communities`, changes state in one transaction, logs
membership changes (MembershipEvent) and notifies. Reads that list
communities go through the same permission module.

The functions live in `creating`, `membership`, `moderation` and `reading`
(shared checks in `_common`); every public name is imported here, so callers
keep using `kollega.communities.services`.
"""

from kollega.communities.services._common import (
    BEFORE,
    RECENT,
)
from kollega.communities.services.creating import create_community, update_community
from kollega.communities.services.membership import (
    accept_community_invitation,
    approve_request,
    decline_community_invitation,
    follow_community,
    invite_to_community,
    join_community,
    leave_community,
    make_member,
    make_owner,
    refuse_request,
    remove_member,
    request_membership,
    unfollow_community,
)
from kollega.communities.services.moderation import (
    pin_post,
    post_in_community,
    remove_comment,
    remove_post,
)
from kollega.communities.services.reading import (
    communities_of,
    community_by_id,
    community_comment,
    community_directory,
    community_post,
    community_posts,
    community_stream,
    community_with_activity,
    invitation_for,
    mark_trends,
    members_of,
    membership_log,
    my_communities,
    owned_community,
    pending_requests,
    pinned_post,
    readable_community,
    request_by_id,
    standing,
    trend,
    visible_community,
    with_activity,
)

__all__ = [
    "BEFORE",
    "RECENT",
    "accept_community_invitation",
    "approve_request",
    "communities_of",
    "community_by_id",
    "community_comment",
    "community_directory",
    "community_post",
    "community_posts",
    "community_stream",
    "community_with_activity",
    "create_community",
    "decline_community_invitation",
    "follow_community",
    "invitation_for",
    "invite_to_community",
    "join_community",
    "leave_community",
    "make_member",
    "make_owner",
    "mark_trends",
    "members_of",
    "membership_log",
    "my_communities",
    "owned_community",
    "pending_requests",
    "pin_post",
    "pinned_post",
    "post_in_community",
    "readable_community",
    "refuse_request",
    "remove_comment",
    "remove_member",
    "remove_post",
    "request_by_id",
    "request_membership",
    "standing",
    "trend",
    "unfollow_community",
    "update_community",
    "visible_community",
    "with_activity",
]
