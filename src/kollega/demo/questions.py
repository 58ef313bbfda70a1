"""Writing questions and answers, and sending a few open questions to people who may know.

A Stack Exchange thread's post is a question (`qa.Question`) and its answers are
answers (`qa.Answer`), not comments. The rows are what `ask_question`,
`answer_question` and `accept_answer` would have left behind, with the dates,
votes and attribution of the source: status, answer_count, first_answered_at,
the accepted answer and accepted_at, the post's last_activity_at lifted by
each answer, and the asker told of each answer and the answerer of acceptance.

Then, once communities have taken their posts, a few of the newest open
questions are sent (`send_question`) and referred on (`refer_question`) to
people who know their tags — the first person and the administrator among
them, so their question inbox and "a question you may know" have news.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from kollega import markup
from kollega.demo.sources import Thread
from kollega.demo.state import DemoState
from kollega.limits import QUESTION_TITLE_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.posts.models import Audience, Post
from kollega.qa.models import Answer, Question, QuestionStatus, Referral, ReferralStatus

SENT_QUESTIONS = 6  # the newest open questions sent to colleagues
TO_THE_FIRST_PERSON = 3  # of which the first person is sent this many
RECIPIENTS = 2  # colleagues each is sent to, besides the first person
SEND_REASONS = ("", "You know {tag}, I think.", "You wrote about {tag} before?")
REFERRAL_NOTES = ("Not my field, but you will know.", "")
Kind = Notification.Kind


def is_question(thread: Thread) -> bool:
    """A thread from a Stack Exchange question (its post links to /q/<id>)."""
    return "/q/" in thread.question.source.get("source_url", "")


@dataclass
class Asked:
    """A question's post as drafted, with its source thread and the answer it accepted."""

    draft: object  # content.Draft
    thread: Thread
    accepted: Answer | None = None
    accepted_at: datetime | None = None


def draft_answers(state: DemoState, draft, thread: Thread, handles, shift: timedelta) -> None:
    """The thread's answers as `answer_question` stores them; each lifts the post."""
    asked = Asked(draft, thread)
    for message in thread.answers:
        if not message.text:
            continue
        when = message.created_at + shift
        answer = Answer(
            author_id=state.person_ids[state.author_of[message.author_key]],
            body=message.text,
            body_html=markup.render(message.text, known_handles=handles.keys()).html,
            created_at=when,
            score=message.score,
            up_votes=message.up_votes,
            source_key=message.key,
            **message.source,
        )
        draft.answers.append(answer)
        draft.post.last_activity_at = max(draft.post.last_activity_at, when)
        if thread.accepted and message.key == thread.accepted:
            # The dump dates acceptance by the day; never before the answer itself.
            accepted_on = (thread.accepted_on + shift) if thread.accepted_on else when
            asked.accepted, asked.accepted_at = answer, min(max(when, accepted_on), state.now)
    state.asked.append(asked)


def create_questions(state: DemoState) -> None:
    """Question rows for the question posts, their answers, and the accepted answers."""
    questions = [_question(asked) for asked in state.asked]
    Question.objects.bulk_create(questions, batch_size=500)
    answers = []
    for question, asked in zip(questions, state.asked, strict=True):
        for answer in asked.draft.answers:
            answer.question_id = question.pk
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=500)
    accepted = []
    for question, asked in zip(questions, state.asked, strict=True):
        post = asked.draft.post
        for answer in asked.draft.answers:
            state.notify(
                post.author_id,
                Kind.QUESTION_ANSWERED,
                answer.author_id,
                answer.created_at,
                post=post,
                answer=answer,
            )
        if asked.accepted is not None:
            question.status = QuestionStatus.ACCEPTED
            question.accepted_answer = asked.accepted
            question.accepted_at = asked.accepted_at
            accepted.append(question)
            state.notify(
                asked.accepted.author_id,
                Kind.ANSWER_ACCEPTED,
                post.author_id,
                asked.accepted_at,
                post=post,
                answer=asked.accepted,
            )
    Question.objects.bulk_update(
        accepted, ["status", "accepted_answer", "accepted_at"], batch_size=500
    )
    state.counts.update(
        questions=len(questions), answers=len(answers), questions_accepted=len(accepted)
    )


def _question(asked: Asked) -> Question:
    """The question as asked, then answered as often as the source was."""
    post, message = asked.draft.post, asked.thread.question
    title = " ".join(message.title.split()) or " ".join(message.text.split())
    answered = [a.created_at for a in asked.draft.answers]
    return Question(
        post=post,
        title=title[:QUESTION_TITLE_MAX_CHARS] or "?",
        status=QuestionStatus.ANSWERED if answered else QuestionStatus.OPEN,
        asked_at=post.created_at,
        first_answered_at=min(answered, default=None),
        answer_count=len(answered),
        score=message.score,
        source_key=message.key,
    )


def send_open_questions(state: DemoState) -> None:
    """The newest open organisation-wide questions, sent and referred to people who may know."""
    rng = state.rng("questions-sent")
    ids = state.person_ids
    number_of = {pk: n for n, pk in enumerate(ids)}
    first = ids[0]
    recent = list(
        Question.objects.filter(
            status=QuestionStatus.OPEN,
            post__audience=Audience.ORGANISATION,
            post__author_id__in=ids,
        )
        .exclude(post__author_id=first)
        .order_by("-asked_at", "-id")
        .values_list("pk", "post_id", "post__author_id", "asked_at")[:SENT_QUESTIONS]
    )
    tags_of: dict[int, list[str]] = {}
    for post_id, name in Post.tags.through.objects.filter(
        post_id__in=[r[1] for r in recent]
    ).values_list("post_id", "tag__name"):
        tags_of.setdefault(post_id, []).append(name)
    sent: list[tuple[Referral, datetime]] = []
    referred: list[tuple[Referral, Referral, datetime]] = []
    for i, (question_id, post_id, asker_id, asked_at) in enumerate(recent):
        tags = sorted(tags_of.get(post_id, []))
        asker = number_of[asker_id]
        chosen = _who_may_know(state, asker, tags, rng)
        people = [ids[n] for n in chosen]
        if i < TO_THE_FIRST_PERSON:
            people.insert(0, first)
        if i == TO_THE_FIRST_PERSON and state.admin_id is not None:
            people.append(state.admin_id)
        # Sent soon after asking; an older question still open is sent again these days.
        soon = asked_at + timedelta(minutes=rng.randint(3, 90))
        when = min(max(soon, state.now - timedelta(hours=rng.randint(2, 72))), state.now)
        rows = [
            Referral(
                question_id=question_id,
                person_id=person,
                referred_by_id=asker_id,
                hops=1,
                reason=rng.choice(SEND_REASONS).format(tag=f"#{tags[0]}") if tags else "",
                created_at=when,
            )
            for person in people
        ]
        sent += [(row, when) for row in rows]
        # Two of the colleagues it was sent to do not know, and name someone who may.
        to = {0: state.admin_id, TO_THE_FIRST_PERSON: first}.get(i)
        via = next((r for r in rows if r.person_id not in (first, state.admin_id)), None)
        if to is not None and via is not None and to not in people:
            via.status = ReferralStatus.REFERRED
            later = min(when + timedelta(minutes=rng.randint(10, 180)), state.now)
            onward_row = Referral(
                question_id=question_id,
                person_id=to,
                referred_by_id=via.person_id,
                hops=2,
                reason=rng.choice(REFERRAL_NOTES),
                created_at=later,
            )
            referred.append((onward_row, via, later))
    Referral.objects.bulk_create([r for r, _w in sent])
    for row, via, _w in referred:
        row.via = via
    Referral.objects.bulk_create([r for r, _v, _w in referred])
    _notify_and_count(state, sent, referred)


def _notify_and_count(state: DemoState, sent, referred) -> None:
    """What `send_question` and `refer_question` notify, and the chains' lengths."""
    post_of = dict(
        Question.objects.filter(pk__in={r.question_id for r, _w in sent}).values_list(
            "pk", "post_id"
        )
    )
    hops: dict[int, int] = {}
    for row, when in sent:
        state.notify(
            row.person_id,
            Kind.QUESTION_SENT,
            row.referred_by_id,
            when,
            post_id=post_of[row.question_id],
        )
        hops[row.question_id] = max(hops.get(row.question_id, 0), row.hops)
    for row, _via, when in referred:
        state.notify(
            row.person_id,
            Kind.QUESTION_REFERRED,
            row.referred_by_id,
            when,
            post_id=post_of[row.question_id],
        )
        hops[row.question_id] = max(hops.get(row.question_id, 0), row.hops)
    for n in sorted(set(hops.values())):
        Question.objects.filter(pk__in=[q for q, h in hops.items() if h == n]).update(
            referral_hops=n
        )
    state.counts["questions_sent"] = len(sent) + len(referred)


def _who_may_know(state: DemoState, asker: int, tags: list[str], rng) -> list[int]:
    """A few colleagues interested in the question's tags, the asker's contacts first."""
    wanted = set(tags)
    ranked = sorted(
        (
            (-len(wanted & set(topics)), n not in state.contacts[asker], n)
            for n, topics in enumerate(state.interests)
            if n not in (0, asker) and wanted & set(topics)
        )
    )
    pool = [n for _score, _far, n in ranked[: RECIPIENTS * 3]]
    if not pool:
        pool = sorted(state.contacts[asker] - {0, asker}) or [
            n for n in range(1, len(state.person_ids)) if n != asker
        ]
    return rng.sample(pool, min(RECIPIENTS, len(pool)))
