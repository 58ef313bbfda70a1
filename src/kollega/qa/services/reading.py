"""Reading questions: one question or answer, lists, the inbox, referral chains and
the overview figures.

Every read starts from `Question.objects.visible_to(person)`. `visible_question`
and `visible_answer` are the one way pages and the API reach a question or an
answer: they return it or raise `NotFound` (404), never saying it exists.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kollega.people.models import Person, PersonTag
from kollega.permissions import NotFound
from kollega.permissions.communities import member_community_ids
from kollega.qa.models import (
    Answer,
    AnswerComment,
    HelpfulVote,
    Question,
    QuestionStatus,
    Referral,
)
from kollega.tags.services import tag_key

WEEK = timedelta(days=7)
CHART_WEEKS = 8


def visible_question(person: Person, question_id: int) -> Question:
    """The question with this id if `person` may see it; else `NotFound` (never say it exists)."""
    question = Question.objects.visible_to(person).for_display().filter(pk=question_id).first()
    if question is None:
        raise NotFound
    return question


def visible_answer(person: Person, answer_id: int) -> Answer:
    """The answer with this id if `person` may see its question; else `NotFound`."""
    answer = (
        Answer.objects.filter(pk=answer_id)
        .filter(question__in=Question.objects.visible_to(person))
        .select_related("author__user", "question__post")
        .first()
    )
    if answer is None:
        raise NotFound
    return answer


def visible_answer_comment(person: Person, comment_id: int) -> AnswerComment:
    """The comment on an answer with this id if `person` may see its question; else `NotFound`."""
    comment = (
        AnswerComment.objects.filter(pk=comment_id)
        .filter(answer__question__in=Question.objects.visible_to(person))
        .select_related("author__user", "answer__question__post")
        .first()
    )
    if comment is None:
        raise NotFound
    return comment


def visible_questions(
    person: Person,
    status: str | None = None,
    tag: str | None = None,
    asked_by: Person | None = None,
    community=None,
) -> QuerySet[Question]:
    """The questions `person` may see, newest first; only those in `status`, with `tag`,
    asked by `asked_by` or asked in `community` when given."""
    questions = _in(Question.objects.visible_to(person).for_display().newest_first(), community)
    if asked_by is not None:
        questions = questions.filter(post__author=asked_by)
    if status:
        questions = questions.filter(status=status)
    if tag:
        questions = questions.filter(post__tags__name=tag_key(tag))
    return questions


def referrals_of(question: Question) -> QuerySet[Referral]:
    """Who `question` was sent or referred to (for one who may see the question)."""
    return Referral.objects.filter(question=question).select_related(
        "person__user", "referred_by__user", "via"
    )


def question_thread(person: Person, question: Question) -> dict:
    """What the question page shows under a visible `question`: its answers with
    their comments and confirmations, its referrals with their chains, and which
    answers `person` found helpful or confirmed."""
    answers = list(
        question.answers.select_related("author__user").prefetch_related(
            "comments__author__user", "confirmations__person__user"
        )
    )
    referrals = list(referrals_of(question))
    helpful = HelpfulVote.objects.filter(person=person, answer__in=answers)
    return {
        "answers": answers,
        "helpful": set(helpful.values_list("answer_id", flat=True)),
        "confirmed": {
            a.pk for a in answers for c in a.confirmations.all() if c.person_id == person.pk
        },
        "referrals": [(r, referral_chain(r)) for r in referrals],
        "my_referral": next((r for r in referrals if r.person_id == person.pk), None),
    }


def question_inbox(person: Person):
    """Questions sent or referred to `person`, and open questions on their tags or in
    their communities, newest first."""
    sent = Referral.objects.filter(person=person).values("question_id")
    open_to_me = Question.objects.filter(
        Q(post__tags__in=PersonTag.objects.filter(person=person).values("tag_id"))
        | Q(post__community__in=member_community_ids(person)),
        status=QuestionStatus.OPEN,
    ).exclude(post__author=person)
    return (
        Question.objects.visible_to(person)
        .filter(Q(pk__in=sent) | Q(pk__in=open_to_me.values("pk")))
        .for_display()
        .newest_first()
    )


def referral_chain(referral: Referral) -> list[Person]:
    """Who the question went through to reach `referral.person`: [asker, …, person]."""
    chain, node, seen = [referral.person], referral, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        chain.append(node.referred_by)
        node = node.via
    return list(reversed(chain))


@dataclass
class WeekFigures:
    """How one week's questions fared."""

    start: datetime
    asked: int
    answered: int
    accepted: int
    median_to_first_answer: timedelta | None
    median_to_accepted_answer: timedelta | None

    @property
    def answer_rate(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None


def _median(durations: list[timedelta]) -> timedelta | None:
    return statistics.median(durations) if durations else None


def _week(questions, start: datetime) -> WeekFigures:
    rows = list(
        questions.filter(asked_at__gte=start, asked_at__lt=start + WEEK).values_list(
            "asked_at", "first_answered_at", "accepted_at"
        )
    )
    to_first = [first - asked for asked, first, _acc in rows if first]
    to_accepted = [acc - asked for asked, _first, acc in rows if acc]
    return WeekFigures(
        start=start,
        asked=len(rows),
        answered=len(to_first),
        accepted=len(to_accepted),
        median_to_first_answer=_median(to_first),
        median_to_accepted_answer=_median(to_accepted),
    )


def _in(questions, community):
    return questions if community is None else questions.filter(post__community=community)


def weekly_figures(
    person: Person, weeks: int = CHART_WEEKS, now=None, community=None
) -> list[WeekFigures]:
    """Figures for the last `weeks` weeks (the current week last), over visible questions
    (those asked in `community` when given)."""
    now = now or timezone.now()
    questions = _in(Question.objects.visible_to(person), community)
    return [_week(questions, now - WEEK * n) for n in range(weeks, 0, -1)]


def overview(person: Person, now=None, community=None) -> dict:
    """The Q&A overview: this week against the week before, and what waits longest
    (over the questions asked in `community` when given)."""
    weeks = weekly_figures(person, now=now, community=community)
    return {
        "this_week": weeks[-1],
        "last_week": weeks[-2],
        "weeks": weeks,
        "community": community,
        "unanswered": _in(Question.objects.visible_to(person), community)
        .unanswered()
        .for_display()
        .order_by("asked_at", "id"),
    }
