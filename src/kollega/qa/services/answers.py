"""Answering, commenting on answers, helpful votes, confirmations and acceptance."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.guard.services import screen
from kollega.limits import ANSWER_BODY_MAX_CHARS, COMMENT_BODY_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions.questions import can_see_question
from kollega.posts.models import Post
from kollega.posts.services import checked_text, render_with_mentions
from kollega.qa.models import (
    Answer,
    AnswerComment,
    Confirmation,
    HelpfulVote,
    Question,
    QuestionStatus,
    Referral,
    ReferralStatus,
    transition,
)


def _check_can_see(person: Person, question: Question) -> None:
    if not can_see_question(person, question):
        raise PermissionDenied(_("You may not see this question."))


@transaction.atomic
def answer_question(
    author: Person, question: Question, body: str, *, guard_override: str | None = None
) -> Answer:
    """Answer a question one may see; the asker is told and the thread rises.

    An accepted question still takes answers, and stays accepted (as on Stack
    Exchange: a better answer may come later). The share guard screens the text
    for the question's audience.
    """
    _check_can_see(author, question)
    body = checked_text(body, ANSWER_BODY_MAX_CHARS)
    screen(author, body, question.post.audience, guard_override)
    rendered, _mentioned = render_with_mentions(body)
    now = timezone.now()
    accepted = question.status == QuestionStatus.ACCEPTED
    transition(question, "answer_accepted" if accepted else "answer")
    answer = Answer.objects.create(
        question=question, author=author, body=body, body_html=rendered.html, created_at=now
    )
    Question.objects.filter(pk=question.pk).update(
        answer_count=F("answer_count") + 1,
        first_answered_at=Coalesce("first_answered_at", Value(now)),
    )
    # Content Darwinism: an answer lifts the question in every stream.
    Post.objects.filter(pk=question.post_id).update(
        last_activity_at=Greatest("last_activity_at", Value(now))
    )
    question.refresh_from_db(fields=["answer_count", "first_answered_at"])
    referral = Referral.objects.filter(question=question, person=author).first()
    if referral is not None:
        referral.status = ReferralStatus.ANSWERED
        referral.save(update_fields=["status"])
        if referral.referred_by_id != question.post.author_id:
            notify(
                referral.referred_by,
                Notification.Kind.QUESTION_ANSWERED,
                author,
                post=question.post,
                answer=answer,
            )
    notify(
        question.post.author,
        Notification.Kind.QUESTION_ANSWERED,
        author,
        post=question.post,
        answer=answer,
    )
    return answer


@transaction.atomic
def comment_on_answer(
    author: Person, answer: Answer, body: str, *, guard_override: str | None = None
) -> AnswerComment:
    """A comment under an answer, by anyone who may see the question (screened by the guard)."""
    _check_can_see(author, answer.question)
    body = checked_text(body, COMMENT_BODY_MAX_CHARS)
    screen(author, body, answer.question.post.audience, guard_override)
    rendered, _mentioned = render_with_mentions(body)
    now = timezone.now()
    comment = AnswerComment.objects.create(
        answer=answer, author=author, body=body, body_html=rendered.html, created_at=now
    )
    Post.objects.filter(pk=answer.question.post_id).update(
        last_activity_at=Greatest("last_activity_at", Value(now))
    )
    return comment


def _check_not_own(person: Person, answer: Answer, message: str) -> None:
    if answer.author_id == person.pk:
        raise ValidationError(message, code="own_answer")


@transaction.atomic
def mark_helpful(person: Person, answer: Answer) -> HelpfulVote:
    """Vote an answer helpful: once per person, never one's own."""
    _check_can_see(person, answer.question)
    _check_not_own(person, answer, _("You cannot vote for your own answer."))
    try:
        with transaction.atomic():
            vote = HelpfulVote.objects.create(answer=answer, person=person)
    except IntegrityError as error:
        raise ValidationError(
            _("You have already found this answer helpful."), code="voted"
        ) from error
    Answer.objects.filter(pk=answer.pk).update(helpful_count=F("helpful_count") + 1)
    answer.refresh_from_db(fields=["helpful_count"])
    return vote


@transaction.atomic
def withdraw_helpful(person: Person, answer: Answer) -> bool:
    """Take back a helpful vote; returns False if there was none."""
    deleted, _details = HelpfulVote.objects.filter(answer=answer, person=person).delete()
    if deleted:
        Answer.objects.filter(pk=answer.pk).update(helpful_count=F("helpful_count") - 1)
        answer.refresh_from_db(fields=["helpful_count"])
    return bool(deleted)


@transaction.atomic
def confirm_answer(person: Person, answer: Answer) -> Confirmation:
    """ "I can confirm this": a colleague vouches for an answer (once; not their own)."""
    _check_can_see(person, answer.question)
    _check_not_own(person, answer, _("You cannot confirm your own answer."))
    try:
        with transaction.atomic():
            confirmation = Confirmation.objects.create(answer=answer, person=person)
    except IntegrityError as error:
        raise ValidationError(
            _("You have already confirmed this answer."), code="confirmed"
        ) from error
    Answer.objects.filter(pk=answer.pk).update(confirmation_count=F("confirmation_count") + 1)
    answer.refresh_from_db(fields=["confirmation_count"])
    return confirmation


@transaction.atomic
def accept_answer(person: Person, answer: Answer) -> Question:
    """The asker accepts one answer; the question is settled and the time to it recorded."""
    question = answer.question
    _check_can_see(person, question)
    if question.post.author_id != person.pk:
        raise PermissionDenied(_("Only the asker can accept an answer."))
    transition(question, "accept", accepted_answer=answer, accepted_at=timezone.now())
    notify(
        answer.author, Notification.Kind.ANSWER_ACCEPTED, person, post=question.post, answer=answer
    )
    return question
