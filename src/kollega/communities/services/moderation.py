"""Posts in communities, pinning, and moderation (removing posts and comments)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kollega.communities.models import Community, ModerationLog
from kollega.communities.services._common import _checked_text, _require_owner
from kollega.limits import COMMUNITY_REASON_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.posts.models import Audience, Comment, Post
from kollega.posts.services import post_on_board

# --- posts, pins and moderation -------------------------------------------------------------


def post_in_community(
    author: Person,
    community: Community,
    body: str,
    *,
    guard_override: str | None = None,
    classification=None,
) -> Post:
    """Post in a community (members only); the posting rules (the share guard, and the
    classification no lower than the community's) are the board's."""
    return post_on_board(
        author,
        body,
        audience=Audience.COMMUNITY,
        community=community,
        guard_override=guard_override,
        classification=classification,
    )


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
    return _checked_text(reason, COMMUNITY_REASON_MAX_CHARS, "reason")


def _moderated(person: Person, post: Post) -> Community:
    if post.community_id is None:
        raise ValidationError(_("This post is not in a community."), code="not_community")
    community = post.community
    _require_owner(person, community)
    return community


def _logged(person: Person, community, what, removed, reason: str) -> ModerationLog:
    """The log line of a removal (a post or a comment, with its author and an excerpt)."""
    return ModerationLog.objects.create(
        community=community,
        moderator=person,
        author=removed.author,
        what=what,
        removed_id=removed.pk,
        excerpt=removed.body[:300],
        reason=_checked_reason(reason),
    )


@transaction.atomic
def remove_post(person: Person, post: Post, reason: str) -> ModerationLog:
    """An owner removes a post (and its comments) from the community; the author is told why."""
    community = _moderated(person, post)
    log = _logged(person, community, ModerationLog.What.POST, post, reason)
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
    log = _logged(person, community, ModerationLog.What.COMMENT, comment, reason)
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
