"""Editing what one wrote: posts and comments here, questions and answers in `qa`.

Only the author edits. An edit runs the same checks as writing anew — the
text's limits, the share guard for the item's audience, the classification
caps, mentions of real colleagues — and a refused edit changes nothing. The
text before each edit is kept (`Edit`), viewable by whoever may see the item.
Tags and mentions are read again from the new text: colleagues newly
mentioned are told once, those mentioned before are not told again. The
search index and the expertise profiles follow through the models' save
signals, in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.guard.services import screen
from kollega.limits import COMMENT_BODY_MAX_CHARS, POST_BODY_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions.classification import checked_level
from kollega.permissions.posts import can_see_post
from kollega.posts.models import Comment, Edit, EditedKind, Mention, Post
from kollega.posts.services import checked_text, render_with_mentions
from kollega.tags.services import get_or_create_tags


def check_author(person: Person, author_id: int, message: str) -> None:
    """Only the author may edit: anyone else gets `message` (403)."""
    if person.pk != author_id:
        raise PermissionDenied(message)


def record_edit(editor: Person, kind: str, obj, post_id: int, now, **before) -> Edit:
    """Keep the text `obj` had before this edit (`before`: body, and title and tags)."""
    return Edit.objects.create(
        kind=kind, object_id=obj.pk, post_id=post_id, editor=editor, edited_at=now, **before
    )


def tag_names(post: Post) -> str:
    return " ".join(sorted(t.name for t in post.tags.all()))


def mention_new_people(actor: Person, post: Post, people: list[Person], now, comment=None) -> None:
    """Record and tell the colleagues `people` names who were not mentioned there before."""
    already = set(
        Mention.objects.filter(post=post, comment=comment).values_list("person_id", flat=True)
    )
    new = [p for p in people if p.pk not in already]
    Mention.objects.bulk_create(
        [Mention(person=p, post=post, comment=comment, created_at=now) for p in new]
    )
    for person in new:
        if person.pk != actor.pk and can_see_post(person, post):
            notify(person, Notification.Kind.MENTION, actor, post=post, comment=comment)


def _check_plain_post(post: Post) -> None:
    if post.question_or_none is not None:
        raise ValidationError(_("Edit the question itself, with its title."), code="is_question")
    if post.blog_entry_or_none is not None:
        raise ValidationError(_("Edit the blog entry itself."), code="is_blog_entry")


@transaction.atomic
def edit_post(
    person: Person, post: Post, body: str, *, guard_override: str | None = None, now=None
) -> Post:
    """The author changes a status update's text (a question or blog entry is edited as one).

    The guard screens the new text for the post's audience, and its level is
    checked against the audience again (raised to its community's floor if that
    rose); a refused edit leaves the old text. Returns the post; an unchanged
    text records nothing.
    """
    check_author(person, post.author_id, _("Only the author may edit this post."))
    _check_plain_post(post)
    level = checked_level(None, post.audience, post.community, current=post.classification)
    changed = replace_body(
        person,
        post,
        EditedKind.POST,
        body,
        post=post,
        limit=POST_BODY_MAX_CHARS,
        guard_override=guard_override,
        now=now,
        before={"tags": tag_names(post)},
        also={"classification": level},
    )
    if changed is not None:
        rendered, mentioned = changed
        post.tags.set(get_or_create_tags(rendered.tags) if rendered.tags else [])
        mention_new_people(person, post, mentioned, post.edited_at)
    return post


def replace_body(
    person: Person,
    item,
    kind: str,
    body: str,
    *,
    post: Post,
    limit: int,
    guard_override: str | None,
    now=None,
    before: dict | None = None,
    also: dict | None = None,
):
    """Change the body of `item` written under `post` (a post, a comment, an answer, a
    comment on an answer) as writing it anew would check it: `limit`, the share guard
    for the post's audience; its old text is kept in the history, with the fields
    `before` (e.g. its tags), and the fields `also` (e.g. its classification) are set
    with the new text. Returns the rendered text and the colleagues it mentions, or
    None when the text did not change (nothing recorded)."""
    body = checked_text(body, limit)
    screen(person, body, post.audience, guard_override)
    rendered, mentioned = render_with_mentions(body)
    if body == item.body:
        return None
    now = now or timezone.now()
    record_edit(person, kind, item, post.pk, now, body=item.body, **(before or {}))
    item.body, item.body_html, item.edited_at = body, rendered.html, now
    for field, value in (also or {}).items():
        setattr(item, field, value)
    item.save(update_fields=["body", "body_html", "edited_at", *(also or {})])
    return rendered, mentioned


@transaction.atomic
def edit_comment(
    person: Person, comment: Comment, body: str, *, guard_override: str | None = None, now=None
) -> Comment:
    """The author changes a comment under a post; screened for the post's audience."""
    check_author(person, comment.author_id, _("Only the author may edit this comment."))
    post = comment.post
    if not can_see_post(person, post):
        raise PermissionDenied(_("You may not see this post."))
    changed = replace_body(
        person,
        comment,
        EditedKind.COMMENT,
        body,
        post=post,
        limit=COMMENT_BODY_MAX_CHARS,
        guard_override=guard_override,
        now=now,
    )
    if changed is not None:
        mention_new_people(person, post, changed[1], comment.edited_at, comment=comment)
    return comment


def edits_of(kind: str, obj) -> QuerySet[Edit]:
    """The edits of a visible item, newest first, with their editors (the caller has
    reached `obj` through its access function, so may see its history)."""
    return Edit.objects.filter(kind=kind, object_id=obj.pk).select_related("editor__user")


def visible_edited(person: Person, kind: str, object_id: int):
    """The item of `kind` with this id through its own access function (`NotFound` if
    `person` may not see it): the history is shown to exactly those who see the item."""
    from kollega.permissions import NotFound
    from kollega.posts.services import visible_comment, visible_post
    from kollega.qa.services import visible_answer, visible_answer_comment, visible_question

    access = {
        EditedKind.POST: visible_post,
        EditedKind.COMMENT: visible_comment,
        EditedKind.QUESTION: visible_question,
        EditedKind.ANSWER: visible_answer,
        EditedKind.ANSWER_COMMENT: visible_answer_comment,
    }
    if kind not in access:
        raise NotFound
    return access[kind](person, object_id)


def forget_comment_edits(sender, instance, **kwargs) -> None:
    """A deleted comment's history goes with it (connected in `PostsConfig.ready`)."""
    Edit.objects.filter(kind=EditedKind.COMMENT, object_id=instance.pk).delete()
