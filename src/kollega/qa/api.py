"""API: questions, answers, referrals, votes, confirmations, acceptance, routing, inbox.

Every read goes through `permissions.questions` (via `services.visible_question`,
`visible_answer` and `visible_questions`); a question the caller may not see
answers 404, like one that does not exist.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kollega.api.lookups import person_named
from kollega.api.schemas import (
    ClassificationName,
    Classified,
    OffsetPage,
    OffsetParams,
    PersonRef,
    SourceOut,
    absolute_url,
    choice_of,
    classification_in,
    offset_page,
    responses,
    source_of,
)
from kollega.audit.services import record_opened
from kollega.communities.services import readable_community
from kollega.guard.schemas import GuardOverride
from kollega.permissions import NotFound
from kollega.qa import services
from kollega.qa.models import QuestionStatus, ReferralStatus, RoutingPlan

router = Router()

AudienceIn = Literal[tuple(str(audience) for audience in services.QUESTION_AUDIENCES)]


class QuestionIn(Schema):
    title: str
    body: str = Field("", description="Markdown subset; the title stands in when empty.")
    tags: list[str] = Field(default_factory=list)
    audience: AudienceIn = Field(
        "organisation",
        description=(
            "organisation: every colleague; board: the board owner and their contacts; "
            "community: the `community`'s audience (implied when `community` is given)."
        ),
    )
    community: str | None = Field(
        None,
        description=(
            "Slug of a community to ask in (members only); the question takes its audience "
            "and classification floor. Unknown or invisible: 400."
        ),
    )
    route: "RouteIn | None" = Field(
        None,
        description=(
            "Let Kollega send it at once to the top suggestions, and on to the next ones "
            "when nobody answers or refers it in time."
        ),
    )
    board: str | None = Field(
        None, description="User name of the board to ask on; the caller's own if omitted."
    )
    classification: ClassificationName | None = classification_in("internal")
    guard_override: GuardOverride = None


class RouteIn(Schema):
    batch: int = Field(3, description="How many colleagues at a time (1-10).")
    wait_hours: float | str = Field(
        4.0, description="Working hours to wait (recipients' time zones) before the next ones; > 0."
    )


QuestionIn.model_rebuild()


class RoutingOut(Schema):
    batch: int
    wait_minutes: int
    state: choice_of(RoutingPlan.State)
    deadline: datetime | None
    rounds: int


class QuestionOut(Classified):
    id: int
    post_id: int
    title: str
    body: str
    body_html: str
    author: PersonRef
    board_owner: PersonRef
    audience: str
    community: str | None = Field(description="Slug of the community it was asked in.")
    tags: list[str]
    status: choice_of(QuestionStatus)
    asked_at: datetime
    first_answered_at: datetime | None
    accepted_at: datetime | None
    accepted_answer_id: int | None
    answer_count: int
    referral_hops: int = Field(description="The longest chain of sends and referrals.")
    seconds_to_first_answer: int | None
    seconds_to_accepted_answer: int | None
    source: SourceOut | None
    url: str

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.post.body

    @staticmethod
    def resolve_classification(obj) -> str:
        return Classified.resolve_classification(obj.post)

    @staticmethod
    def resolve_body_html(obj) -> str:
        return obj.post.body_html

    @staticmethod
    def resolve_author(obj):
        return obj.post.author

    @staticmethod
    def resolve_board_owner(obj):
        return obj.post.board_owner

    @staticmethod
    def resolve_audience(obj) -> str:
        return obj.post.audience

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.post.tags.all()]

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.post.community.slug if obj.post.community_id else None

    @staticmethod
    def resolve_seconds_to_first_answer(obj) -> int | None:
        span = obj.time_to_first_answer
        return int(span.total_seconds()) if span is not None else None

    @staticmethod
    def resolve_seconds_to_accepted_answer(obj) -> int | None:
        span = obj.time_to_accepted_answer
        return int(span.total_seconds()) if span is not None else None

    @staticmethod
    def resolve_source(obj) -> dict | None:
        return source_of(obj.post)

    @staticmethod
    def resolve_url(obj, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class AnswerIn(Schema):
    body: str
    guard_override: GuardOverride = None


class AnswerOut(Schema):
    id: int
    question_id: int
    author: PersonRef
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None = Field(None, description="When its author last edited it.")
    helpful_count: int
    confirmation_count: int
    accepted: bool
    score: int = Field(description="Net votes at the source, for imported answers.")
    source: SourceOut | None

    @staticmethod
    def resolve_accepted(obj) -> bool:
        return obj.question.accepted_answer_id == obj.pk

    @staticmethod
    def resolve_source(obj) -> dict | None:
        return source_of(obj)


class AnswerCommentIn(Schema):
    body: str
    guard_override: GuardOverride = None


class AnswerCommentOut(Schema):
    id: int
    answer_id: int
    author: PersonRef
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None = Field(None, description="When its author last edited it.")
    source: SourceOut | None

    @staticmethod
    def resolve_source(obj) -> dict | None:
        return source_of(obj)


class QuestionEditIn(Schema):
    title: str
    body: str = Field("", description="Markdown subset; the title stands in when empty.")
    tags: list[str] = Field(default_factory=list)
    guard_override: GuardOverride = None


class SendIn(Schema):
    people: list[str] = Field(description="User names of the colleagues to send it to.")


class ReferIn(Schema):
    to: str = Field(description="User name of the colleague who may know.")
    note: str = ""


class ReferralOut(Schema):
    id: int
    person: PersonRef
    referred_by: PersonRef
    chain: list[PersonRef] = Field(description="From the asker to the person asked.")
    hops: int
    status: choice_of(ReferralStatus)
    routed: str = Field(description="auto: sent by Kollega at once; escalated: later; '': by hand.")
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_chain(obj) -> list:
        return services.referral_chain(obj)


class SuggestedAnswererOut(Schema):
    person: PersonRef
    score: float
    reasons: list[str]


class ChangedOut(Schema):
    changed: bool


class QuestionParams(OffsetParams):
    status: choice_of(QuestionStatus) | None = None
    tag: str | None = None
    community: str | None = Field(None, description="Slug: only questions asked in it.")


@router.get("/questions/inbox", response=responses({200: OffsetPage[QuestionOut]}, 400))
def get_question_inbox(request, params: Query[OffsetParams]):
    """Questions sent or referred to the caller, and open questions on their tags, newest first."""
    return offset_page(services.question_inbox(request.auth), params)


@router.get("/questions/similar", response=responses({200: list[QuestionOut]}))
def list_similar_questions(request, title: str):
    """The questions most like `title` (up to 5) that the caller may see, never their own,
    accepted ones first: what the ask page shows while a title is typed. Fewer than 8
    characters find nothing."""
    found = services.similar_questions(request.auth, title)
    by_id = services.visible_questions(request.auth).in_bulk([q.pk for q in found])
    return [by_id[q.pk] for q in found if q.pk in by_id]


@router.get("/questions", response=responses({200: OffsetPage[QuestionOut]}, 400, 404))
def list_questions(request, params: Query[QuestionParams]):
    """The questions the caller may see, newest first; filter by `status`, `tag` or
    `community` (a community the caller may not read: 404)."""
    community = readable_community(request.auth, params.community) if params.community else None
    questions = services.visible_questions(
        request.auth, params.status, params.tag, community=community
    )
    return offset_page(questions, params)


@router.get(
    "/communities/{slug}/questions", response=responses({200: OffsetPage[QuestionOut]}, 400, 404)
)
def list_community_questions(request, slug: str, params: Query[QuestionParams]):
    """The questions asked in a community the caller may read, newest first."""
    community = readable_community(request.auth, slug)
    questions = services.visible_questions(
        request.auth, params.status, params.tag, community=community
    )
    return offset_page(questions, params)


@router.post("/questions", response=responses({201: QuestionOut}, 400, 403))
def ask_question(request, payload: QuestionIn):
    """Ask a question on one's own board or a colleague's, or in a community one is a
    member of; it appears in streams as a post. With `route`, Kollega sends it at once
    to the top suggestions (see the question's `routing`); a bad `route` is 400 and
    nothing is asked."""
    board_owner = person_named(payload.board) if payload.board else None
    community = services.community_to_ask_in(request.auth, payload.community)
    routing = services.Routing(**payload.route.dict()) if payload.route else None
    question = services.ask_question(
        request.auth,
        payload.title,
        payload.body,
        tags=payload.tags,
        audience=payload.audience,
        board_owner=board_owner,
        guard_override=payload.guard_override,
        classification=payload.classification,
        community=community,
        routing=routing,
    )
    return Status(201, services.visible_question(request.auth, question.pk))


@router.patch("/questions/{question_id}", response=responses({200: QuestionOut}, 400, 403, 404))
def edit_question(request, question_id: int, payload: QuestionEditIn):
    """Change a question's title, text and tags: only its asker may (403 for others).

    Checked as when asking (the share guard, limits, tags); a refused edit (400)
    keeps the old text. History: `GET /edits/question/{question_id}`.
    """
    question = services.visible_question(request.auth, question_id)
    services.edit_question(
        request.auth,
        question,
        payload.title,
        payload.body,
        tags=payload.tags,
        guard_override=payload.guard_override,
    )
    return services.visible_question(request.auth, question_id)


@router.get("/questions/{question_id}/routing", response=responses({200: RoutingOut}, 404))
def get_routing(request, question_id: int):
    """For the asker: how Kollega sends the question on (404 if it does not, or for others)."""
    question = services.visible_question(request.auth, question_id)
    plan = services.routing_of(request.auth, question)
    if plan is None:
        raise NotFound
    return plan


@router.get("/questions/{question_id}", response=responses({200: QuestionOut}, 404))
def get_question(request, question_id: int):
    """One question with its state and timings, if the caller may see it."""
    question = services.visible_question(request.auth, question_id)
    record_opened(request.auth, question, request)
    return question


@router.get(
    "/questions/{question_id}/suggestions",
    response=responses({200: list[SuggestedAnswererOut]}, 404),
)
def get_suggestions(request, question_id: int):
    """Colleagues most likely to answer, best first, each with the reasons."""
    question = services.visible_question(request.auth, question_id)
    return services.suggest_answerers(request.auth, question)


@router.get("/questions/{question_id}/referrals", response=responses({200: list[ReferralOut]}, 404))
def list_referrals(request, question_id: int):
    """Who the question was sent or referred to, with each chain."""
    question = services.visible_question(request.auth, question_id)
    return list(services.referrals_of(question))


@router.post(
    "/questions/{question_id}/recipients",
    response=responses({201: list[ReferralOut]}, 400, 403, 404),
)
def send_question(request, question_id: int, payload: SendIn):
    """The asker sends the question to colleagues; each gets a "you may know this" notice.

    One colleague who may not see the question (or was already asked) refuses the
    whole request (400) and nobody is told.
    """
    question = services.visible_question(request.auth, question_id)
    people = [person_named(name) for name in payload.people]
    return Status(201, services.send_question(request.auth, question, people))


@router.post(
    "/questions/{question_id}/referrals", response=responses({201: ReferralOut}, 400, 403, 404)
)
def refer_question(request, question_id: int, payload: ReferIn):
    """ "I don't know, ask X": refer the question to a named colleague, who is told the chain.

    Refused (400) for oneself, the asker, someone already asked, or someone who may
    not see the question.
    """
    question = services.visible_question(request.auth, question_id)
    to = person_named(payload.to)
    return Status(201, services.refer_question(request.auth, question, to, payload.note))


@router.post(
    "/questions/{question_id}/decline", response=responses({200: ReferralOut}, 400, 403, 404)
)
def decline_question(request, question_id: int):
    """ "Not me": the caller, to whom the question was sent, cannot answer it."""
    return services.decline_question(
        request.auth, services.visible_question(request.auth, question_id)
    )


@router.get(
    "/questions/{question_id}/answers", response=responses({200: OffsetPage[AnswerOut]}, 400, 404)
)
def list_answers(request, question_id: int, params: Query[OffsetParams]):
    """The answers to a question, oldest first."""
    question = services.visible_question(request.auth, question_id)
    return offset_page(question.answers.select_related("author__user", "question"), params)


@router.post(
    "/questions/{question_id}/answers", response=responses({201: AnswerOut}, 400, 403, 404)
)
def answer_question(request, question_id: int, payload: AnswerIn):
    """Answer a question; refused (400) once an answer is accepted."""
    question = services.visible_question(request.auth, question_id)
    return Status(
        201,
        services.answer_question(
            request.auth, question, payload.body, guard_override=payload.guard_override
        ),
    )


@router.get("/answers/{answer_id}", response=responses({200: AnswerOut}, 404))
def get_answer(request, answer_id: int):
    """One answer, if the caller may see its question."""
    return services.visible_answer(request.auth, answer_id)


@router.patch("/answers/{answer_id}", response=responses({200: AnswerOut}, 400, 403, 404))
def edit_answer(request, answer_id: int, payload: AnswerIn):
    """Change an answer: only its author may; checked as a new answer is (400, nothing kept)."""
    answer = services.visible_answer(request.auth, answer_id)
    return services.edit_answer(
        request.auth, answer, payload.body, guard_override=payload.guard_override
    )


@router.patch(
    "/answers/{answer_id}/comments/{comment_id}",
    response=responses({200: AnswerCommentOut}, 400, 403, 404),
)
def edit_answer_comment(request, answer_id: int, comment_id: int, payload: AnswerCommentIn):
    """Change a comment under an answer: only its author may."""
    comment = services.visible_answer_comment(request.auth, comment_id)
    if comment.answer_id != answer_id:
        raise NotFound
    return services.edit_answer_comment(
        request.auth, comment, payload.body, guard_override=payload.guard_override
    )


@router.get("/answers/{answer_id}/comments", response=responses({200: list[AnswerCommentOut]}, 404))
def list_answer_comments(request, answer_id: int):
    """The comments under an answer, oldest first."""
    return list(
        services.visible_answer(request.auth, answer_id).comments.select_related("author__user")
    )


@router.post("/answers/{answer_id}/comments", response=responses({201: AnswerCommentOut}, 400, 404))
def comment_on_answer(request, answer_id: int, payload: AnswerCommentIn):
    """Comment under an answer."""
    answer = services.visible_answer(request.auth, answer_id)
    return Status(
        201,
        services.comment_on_answer(
            request.auth, answer, payload.body, guard_override=payload.guard_override
        ),
    )


@router.post("/answers/{answer_id}/helpful", response=responses({201: AnswerOut}, 400, 404))
def mark_helpful(request, answer_id: int):
    """Vote an answer helpful: once per person (a second vote is 400), never one's own."""
    answer = services.visible_answer(request.auth, answer_id)
    services.mark_helpful(request.auth, answer)
    return Status(201, answer)


@router.delete("/answers/{answer_id}/helpful", response=responses({200: ChangedOut}, 404))
def withdraw_helpful(request, answer_id: int):
    """Take back a helpful vote; without one, nothing changes."""
    answer = services.visible_answer(request.auth, answer_id)
    return {"changed": services.withdraw_helpful(request.auth, answer)}


@router.post("/answers/{answer_id}/confirmation", response=responses({201: AnswerOut}, 400, 404))
def confirm_answer(request, answer_id: int):
    """Confirm an answer is right (once; not one's own)."""
    answer = services.visible_answer(request.auth, answer_id)
    services.confirm_answer(request.auth, answer)
    return Status(201, answer)


@router.post(
    "/answers/{answer_id}/acceptance", response=responses({200: QuestionOut}, 400, 403, 404)
)
def accept_answer(request, answer_id: int):
    """The asker accepts an answer (403 for anyone else; 400 if one is accepted already)."""
    answer = services.visible_answer(request.auth, answer_id)
    services.accept_answer(request.auth, answer)
    return services.visible_question(request.auth, answer.question_id)
