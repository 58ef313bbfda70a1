"""Editing questions, answers and comments on answers (the rules: `posts.editing`).

A question is edited whole — title, text and tags — and its post with it, so
streams, search and expertise read the new words. The history is the one of
`posts.Edit`.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.guard.services import screen
from kollega.limits import (
    ANSWER_BODY_MAX_CHARS,
    COMMENT_BODY_MAX_CHARS,
    POST_BODY_MAX_CHARS,
)
from kollega.people.models import Person
from kollega.permissions.classification import checked_level
from kollega.permissions.questions import can_see_question
from kollega.posts.editing import (
    check_author,
    mention_new_people,
    record_edit,
    replace_body,
    tag_names,
)
from kollega.posts.models import EditedKind
from kollega.posts.services import checked_text, render_with_mentions
from kollega.qa.models import Answer, AnswerComment, Question
from kollega.qa.services.asking import _checked_tags, _checked_title
from kollega.tags.services import get_or_create_tags


@transaction.atomic
def edit_question(
    person: Person,
    question: Question,
    title: str,
    body: str = "",
    *,
    tags: list[str] | tuple = (),
    guard_override: str | None = None,
    now=None,
) -> Question:
    """The asker changes the question's title, text and tags.

    As when asking: the text is optional (the title stands for it), #tags in the
    text count as well as the tags given, and the guard screens the title and
    the text for the question's audience. A refused edit changes nothing.
    """
    check_author(person, question.post.author_id, _("Only the asker may edit this question."))
    post = question.post
    title = _checked_title(title)
    tags = _checked_tags(tags)
    text = checked_text((body or "").strip() or title, POST_BODY_MAX_CHARS)
    level = checked_level(None, post.audience, post.community, current=post.classification)
    screen(person, title if text == title else f"{title}\n{text}", post.audience, guard_override)
    rendered, mentioned = render_with_mentions(text)
    tag_rows = get_or_create_tags([*tags, *rendered.tags]) if tags or rendered.tags else []
    old_tags = tag_names(post)
    new_tags = " ".join(sorted({t.name for t in tag_rows}))
    if title == question.title and text == post.body and new_tags == old_tags:
        return question
    now = now or timezone.now()
    record_edit(
        person,
        EditedKind.QUESTION,
        question,
        post.pk,
        now,
        title=question.title,
        body=post.body,
        tags=old_tags,
    )
    post.body, post.body_html, post.classification, post.edited_at = (
        text,
        rendered.html,
        level,
        now,
    )
    post.save(update_fields=["body", "body_html", "classification", "edited_at"])
    post.tags.set(tag_rows)
    question.title = title
    question.save(update_fields=["title"])
    mention_new_people(person, post, mentioned, now)
    return question


def _replace_under_question(
    person: Person,
    item,
    kind: str,
    question: Question,
    body: str,
    *,
    limit: int,
    refusal: str,
    guard_override: str | None,
    now,
):
    """The author (else `refusal`, 403) changes an answer or a comment on one, if they
    still see its question; screened for the question's audience."""
    check_author(person, item.author_id, refusal)
    if not can_see_question(person, question):
        raise PermissionDenied(_("You may not see this question."))
    replace_body(
        person,
        item,
        kind,
        body,
        post=question.post,
        limit=limit,
        guard_override=guard_override,
        now=now,
    )
    return item


@transaction.atomic
def edit_answer(
    person: Person, answer: Answer, body: str, *, guard_override: str | None = None, now=None
) -> Answer:
    """The author changes an answer; screened for the question's audience."""
    return _replace_under_question(
        person,
        answer,
        EditedKind.ANSWER,
        answer.question,
        body,
        limit=ANSWER_BODY_MAX_CHARS,
        refusal=_("Only the author may edit this answer."),
        guard_override=guard_override,
        now=now,
    )


@transaction.atomic
def edit_answer_comment(
    person: Person,
    comment: AnswerComment,
    body: str,
    *,
    guard_override: str | None = None,
    now=None,
) -> AnswerComment:
    """The author changes a comment under an answer; screened for the question's audience."""
    return _replace_under_question(
        person,
        comment,
        EditedKind.ANSWER_COMMENT,
        comment.answer.question,
        body,
        limit=COMMENT_BODY_MAX_CHARS,
        refusal=_("Only the author may edit this comment."),
        guard_override=guard_override,
        now=now,
    )
