"""Boards: status updates, posts on a colleague's board, comments, recommendations.

Each function takes the acting person first, checks permission through the one
permission module, changes state in one transaction and notifies.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega import markup, texts
from kollega.guard.services import screen
from kollega.limits import COMMENT_BODY_MAX_CHARS, POST_BODY_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.people.services import visible_person
from kollega.permissions import NotFound
from kollega.permissions.boards import can_post_on_board, can_see_board
from kollega.permissions.classification import checked_level
from kollega.permissions.communities import can_post_in
from kollega.permissions.posts import can_see_post, visible_filter
from kollega.posts.models import Audience, Comment, Mention, Post, PostQuerySet, Recommendation
from kollega.tags.services import get_or_create_tags


def checked_text(body: str, max_length: int) -> str:
    """The text without surrounding whitespace; empty or longer than `max_length` is an error.

    Shared by everything people write with the board's rules (posts, comments,
    answers, blog entries), so the messages and limits read the same everywhere.
    A Markdown body: the characters refused are `kollega.texts.clean`'s.
    """
    body = texts.clean(body, markdown=True).strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > max_length:
        raise ValidationError(
            _("Too long: %(length)d characters, at most %(max)d."),
            params={"length": len(body), "max": max_length},
            code="too_long",
        )
    return body


def checked_title(title: str, max_length: int, empty_message: str) -> str:
    """A title on one line; empty (saying `empty_message`) or over `max_length` is an error.

    Shared by questions and blog entries, so their titles follow one rule.
    """
    title = texts.clean(title, one_line=True)
    if not title:
        raise ValidationError(empty_message, code="empty_title")
    if len(title) > max_length:
        raise ValidationError(
            _("The title is too long: at most %(max)d characters."),
            params={"max": max_length},
            code="title_too_long",
        )
    return title


def render_with_mentions(body: str) -> tuple[markup.Rendered, list[Person]]:
    """Render text (the safe Markdown subset) and resolve its @mentions.

    Returns the rendering and the active people mentioned; a mention of a handle
    nobody has is a ValidationError naming it. Telling the people mentioned is
    the caller's choice.
    """
    handles, _tags = markup.find_mentions_and_tags(body)
    people = list(Person.objects.active().filter(user__username__in=handles).select_related("user"))
    found = {p.user.username for p in people}
    unknown = [h for h in handles if h not in found]
    if unknown:
        raise ValidationError(
            _("Nobody here is called %(handles)s."),
            params={"handles": ", ".join("@" + h for h in unknown)},
            code="unknown_mention",
        )
    return markup.render(body, known_handles=found), people


def _notify_mentions(actor: Person, post: Post, people: list[Person], comment=None) -> None:
    for person in people:
        if person.pk != actor.pk and can_see_post(person, post):
            notify(person, Notification.Kind.MENTION, actor, post=post, comment=comment)


@transaction.atomic
def post_on_board(
    author: Person,
    body: str,
    board_owner: Person | None = None,
    audience: str = Audience.ORGANISATION,
    *,
    created_at=None,
    source: dict | None = None,
    community=None,
    guard_override: str | None = None,
    public_entry: bool = False,
    classification=None,
) -> Post:
    """Post a status update on one's own board or on a colleague's, or in a `community`.

    A community post is stored on the author's own board with the community as
    its audience; only members may post in a community. The share guard screens
    the text for its audience (`guard_override`: the author's reason to go on
    after a warning); imported posts (`source`) were shared where they came from.
    Only a blog entry's publishing (`public_entry`, checked by `blogs.services`) posts
    for the public audience.
    `classification` (a level; None: the community's, else Internal) must fit
    the audience (`permissions.classification`), or nothing is posted.
    """
    board_owner = board_owner or author
    if audience not in Audience.values:
        raise ValidationError(_("Unknown audience."), code="bad_audience")
    if not can_post_on_board(author, board_owner):
        raise PermissionDenied(_("You may not post on this board."))
    if audience == Audience.PUBLIC and not public_entry:
        raise ValidationError(
            _("Only a blog entry can be public; choose another audience."), code="bad_audience"
        )
    if community is not None or audience == Audience.COMMUNITY:
        if community is None:
            raise ValidationError(_("Choose the community to post in."), code="no_community")
        if board_owner.pk != author.pk:
            raise ValidationError(
                _("A community post cannot go on a colleague's board."), code="community_board"
            )
        if not can_post_in(author, community):
            raise PermissionDenied(_("Only members may post in this community."))
        audience = Audience.COMMUNITY
    if (
        board_owner.pk != author.pk
        and board_owner.board_visibility == Person.BoardVisibility.CONTACTS
        and audience == Audience.ORGANISATION
    ):
        raise ValidationError(
            _("%(name)s keeps their board to contacts; choose a narrower audience."),
            params={"name": board_owner.name},
            code="audience_too_wide",
        )
    level = checked_level(classification, audience, community)
    body = checked_text(body, POST_BODY_MAX_CHARS)
    if source is None:
        screen(author, body, audience, guard_override)
    rendered, mentioned = render_with_mentions(body)
    now = created_at or timezone.now()
    post = Post.objects.create(
        author=author,
        board_owner=board_owner,
        audience=audience,
        community=community,
        classification=level,
        body=body,
        body_html=rendered.html,
        created_at=now,
        last_activity_at=now,
        **(source or {}),
    )
    if rendered.tags:
        post.tags.set(get_or_create_tags(rendered.tags))
    Mention.objects.bulk_create([Mention(person=p, post=post, created_at=now) for p in mentioned])
    if board_owner.pk != author.pk:
        notify(board_owner, Notification.Kind.BOARD_POST, author, post=post)
    _notify_mentions(author, post, [p for p in mentioned if p.pk != board_owner.pk])
    return post


@transaction.atomic
def comment_on_post(
    author: Person,
    post: Post,
    body: str,
    *,
    created_at=None,
    source: dict | None = None,
    guard_override: str | None = None,
) -> Comment:
    """Reply under a post; the thread rises to the top of streams (content Darwinism).

    The share guard screens the text for the post's audience.
    """
    if not can_see_post(author, post):
        raise PermissionDenied(_("You may not see this post."))
    body = checked_text(body, COMMENT_BODY_MAX_CHARS)
    if source is None:
        screen(author, body, post.audience, guard_override)
    rendered, mentioned = render_with_mentions(body)
    now = created_at or timezone.now()
    comment = Comment.objects.create(
        post=post,
        author=author,
        body=body,
        body_html=rendered.html,
        created_at=now,
        **(source or {}),
    )
    # Greatest, so an imported comment with an old date never sinks a live thread.
    Post.objects.filter(pk=post.pk).update(
        comment_count=F("comment_count") + 1,
        last_activity_at=Greatest("last_activity_at", Value(now)),
    )
    Mention.objects.bulk_create(
        [Mention(person=p, post=post, comment=comment, created_at=now) for p in mentioned]
    )
    notify(post.author, Notification.Kind.COMMENT, author, post=post, comment=comment)
    _notify_mentions(author, post, [p for p in mentioned if p.pk != post.author_id], comment)
    return comment


@transaction.atomic
def recommend_post(person: Person, post: Post) -> bool:
    """Recommend (like) a post; returns False if already recommended."""
    if not can_see_post(person, post):
        raise PermissionDenied(_("You may not see this post."))
    _rec, created = Recommendation.objects.get_or_create(person=person, post=post)
    if created:
        Post.objects.filter(pk=post.pk).update(recommendation_count=F("recommendation_count") + 1)
    return created


@transaction.atomic
def withdraw_recommendation(person: Person, post: Post) -> bool:
    """Take back a recommendation; returns False if there was none."""
    deleted, _details = Recommendation.objects.filter(person=person, post=post).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(recommendation_count=F("recommendation_count") - 1)
    return bool(deleted)


@transaction.atomic
def delete_post(person: Person, post: Post) -> None:
    """The author or the board owner removes a post and its comments."""
    if person.pk not in (post.author_id, post.board_owner_id):
        raise PermissionDenied(_("Only the author or the board owner can delete this post."))
    post.delete()


@transaction.atomic
def delete_comment(person: Person, comment: Comment) -> None:
    """The comment's author, or the post's author or board owner, removes a comment."""
    post = comment.post
    if person.pk not in (comment.author_id, post.author_id, post.board_owner_id):
        raise PermissionDenied(_("You may not delete this comment."))
    comment.delete()
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") - 1)


def visible_post(person: Person, post_id: int, card: bool = False) -> Post:
    """The post with this id if `person` may see it; else `NotFound`, which answers
    like a post that does not exist. With `card`, with the last comments its card shows.

    The one way every page and endpoint reaches a post (and so its comments,
    recommendations and deletion).
    """
    posts = Post.objects.visible_to(person).for_display()
    post = (posts.with_comments() if card else posts).filter(pk=post_id).first()
    if post is None:
        raise NotFound
    return post


def visible_comment(person: Person, comment_id: int, post_id: int | None = None) -> Comment:
    """The comment with this id (under the post `post_id`, if given) if `person` may see
    its post; else `NotFound`. The comment comes with its post."""
    comments = Comment.objects.filter(visible_filter(person, prefix="post__"))
    if post_id is not None:
        comments = comments.filter(post_id=post_id)
    comment = comments.select_related("post").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound
    return comment


def visible_board(viewer: Person, username: str) -> Person:
    """The colleague called `username` if `viewer` may see their board; else `NotFound`
    (a board kept to contacts answers like a colleague who does not exist)."""
    owner = visible_person(viewer, username)
    if not can_see_board(viewer, owner):
        raise NotFound
    return owner


def tagged_posts(viewer: Person, tag) -> "PostQuerySet":
    """The posts carrying `tag` that `viewer` may see, newest activity first."""
    return Post.objects.visible_to(viewer).filter(tags=tag).for_display().newest_activity_first()


def board_posts(viewer: Person, owner: Person):
    """The posts on `owner`'s board that `viewer` may see, newest activity first."""
    return (
        Post.objects.visible_to(viewer)
        .filter(board_owner=owner)
        .for_display()
        .newest_activity_first()
    )


def recommended_ids(person: Person, posts) -> set[int]:
    """Which of `posts` `person` has recommended."""
    return set(
        Recommendation.objects.filter(person=person, post__in=[p.pk for p in posts]).values_list(
            "post_id", flat=True
        )
    )
