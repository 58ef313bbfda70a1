"""Questions and answers: a question is a post with more structure.

The post (`Question.post`) holds the author, audience, board, body, tags and
stream position, so who may see a question — and everything under it — is
exactly who may see its post (`permissions/questions.py`). The question adds a
title, its state and its timings.

The life of a question, in one place:

    open ──answer──▶ answered ──accept──▶ accepted
                      └─answer─┘             └─answer─┘

As on Stack Exchange, an accepted question still takes new answers: a better
one may come later; answering it leaves it accepted.

Only `transition()` moves a question between states.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")


# name: (states it may start from, state it ends in)
TRANSITIONS = {
    "answer": ({QuestionStatus.OPEN, QuestionStatus.ANSWERED}, QuestionStatus.ANSWERED),
    "accept": ({QuestionStatus.ANSWERED}, QuestionStatus.ACCEPTED),
    "answer_accepted": ({QuestionStatus.ACCEPTED}, QuestionStatus.ACCEPTED),
}


def transition(question: "Question", name: str, **fields) -> None:
    """Move `question` along the named transition, checked in the database.

    A question that is no longer in a state the transition starts from (an
    answer already accepted, say, by a page loaded earlier) is refused.
    """
    sources, target = TRANSITIONS[name]
    changed = Question.objects.filter(pk=question.pk, status__in=sources).update(
        status=target, **fields
    )
    if not changed:
        raise ValidationError(
            gettext("This question is %(status)s; that cannot be done any more."),
            params={"status": question.get_status_display().lower()},
            code="wrong_state",
        )
    question.status = target
    for field, value in fields.items():
        setattr(question, field, value)


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, person) -> "QuestionQuerySet":
        from kollega.permissions.questions import visible_questions_filter

        return self.filter(visible_questions_filter(person))

    def for_display(self) -> "QuestionQuerySet":
        return self.select_related(
            "post__author__user",
            "post__board_owner__user",
            "post__author__department",
            "post__community",
        ).prefetch_related("post__tags")

    def newest_first(self) -> "QuestionQuerySet":
        return self.order_by("-asked_at", "-id")

    def unanswered(self) -> "QuestionQuerySet":
        return self.filter(status=QuestionStatus.OPEN)


class Question(models.Model):
    """A post that asks: a title, a state, who it was sent to and how fast it was answered."""

    post = models.OneToOneField("posts.Post", on_delete=models.CASCADE, related_name="question")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    asked_at = models.DateTimeField(db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_answer = models.ForeignKey(
        "qa.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_count = models.PositiveIntegerField(default=0)
    # The longest chain of sends and referrals that reached someone (A→B→C is 2).
    referral_hops = models.PositiveSmallIntegerField(default=0)
    # Imported questions: the net score at the source and a key that makes imports idempotent.
    score = models.IntegerField(default=0)
    source_key = models.CharField(max_length=100, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="question_source_once"
            )
        ]
        indexes = [models.Index(fields=["status", "asked_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("question", args=[self.pk])

    @property
    def time_to_first_answer(self):
        return self.first_answered_at - self.asked_at if self.first_answered_at else None

    @property
    def time_to_accepted_answer(self):
        return self.accepted_at - self.asked_at if self.accepted_at else None


class Answer(models.Model):
    """An answer to a question; it may be voted helpful, confirmed and accepted."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("answer"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField()
    # When its author last changed the text (None: never); the history is `posts.Edit`.
    edited_at = models.DateTimeField(null=True, blank=True)
    helpful_count = models.PositiveIntegerField(default=0)
    confirmation_count = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    up_votes = models.PositiveIntegerField(default=0)
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    source_author = models.CharField(max_length=200, blank=True)
    source_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="answer_source_once"
            )
        ]
        indexes = [
            models.Index(fields=["question", "created_at"]),
            # A person's answers by time with what expertise counts (question, helpful
            # votes), read from the index alone rather than from the long answer rows.
            models.Index(
                fields=["author", "created_at", "question", "helpful_count"],
                name="answer_author_time",
            ),
            # Insights read a period's answers (network.rollups).
            models.Index(fields=["created_at"], name="answer_created_at"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_accepted(self) -> bool:
        return self.question.accepted_answer_id == self.pk


class AnswerComment(models.Model):
    """A comment under an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    source_author = models.CharField(max_length=200, blank=True)
    source_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="answer_comment_source_once",
            )
        ]


class ImportedComment(models.Model):
    """The source key of an imported comment under a question's post (posts.Comment)."""

    comment = models.OneToOneField("posts.Comment", on_delete=models.CASCADE, related_name="+")
    source_key = models.CharField(max_length=100, unique=True)


class HelpfulVote(models.Model):
    """One person found an answer helpful (once; never their own)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="helpful_votes")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "person"], name="helpful_once"),
        ]


class Confirmation(models.Model):
    """A colleague confirms an answer is right (once; never their own)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="confirmations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "person"], name="confirm_once"),
        ]


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Not me")
    REFERRED = "referred", _("Referred on")


class Routed(models.TextChoices):
    """How Kollega itself put a question to someone (blank: a person sent or referred it)."""

    AUTO = "auto", _("sent automatically")
    ESCALATED = "escalated", _("escalated")


class Referral(models.Model):
    """The question was put to `person`: sent by the asker, or referred by a colleague.

    `routed` says whether Kollega sent it on the asker's behalf: at once to the
    top suggestions (`auto`), or later to the next ones because nobody had
    answered or referred it in time (`escalated`); see `RoutingPlan`.

    `via` is the referral that reached the one who referred it on, so the chain
    (A asked, B thinks you know) can be told and its length counted in `hops`.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    referred_by = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    via = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="onward"
    )
    hops = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    created_at = models.DateTimeField()
    routed = models.CharField(max_length=10, choices=Routed.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "person"], name="ask_a_person_once"),
            models.CheckConstraint(condition=~Q(person=models.F("referred_by")), name="not_self"),
        ]
        indexes = [models.Index(fields=["person", "-created_at"])]

    @property
    def is_from_asker(self) -> bool:
        return self.referred_by_id == self.question.post.author_id


class RoutingPlan(models.Model):
    """The asker let Kollega send the question on its own (`qa/services/autorouting.py`).

    The life of a plan:

        waiting ──answered or referred by the deadline──▶ settled
           │ └──nobody did: the next `batch` people, a new deadline──┘
           └──nobody left to ask──▶ exhausted

    `deadline` counts `wait_minutes` of working time in the recipients' time zones;
    the periodic task `escalate_routed_questions` looks at plans past it.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for an answer")
        SETTLED = "settled", _("Answered or referred")
        EXHAUSTED = "exhausted", _("Nobody left to ask")

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="routing")
    batch = models.PositiveSmallIntegerField()
    wait_minutes = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    deadline = models.DateTimeField(null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.question} ({self.state})"
