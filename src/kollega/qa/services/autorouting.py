"""Routing that acts: Kollega sends a question to the top suggestions and, if nobody
answers or refers it in time, on to the next ones.

The asker chooses how many people at a time (`batch`, default 3) and how long to
wait (default 4 hours). The wait is counted in working hours
(`KOLLEGA_WORKING_HOURS`, Monday to Friday) in each recipient's time zone
(`people.services.time_zone_of`); the deadline is when the last of them has had
that much working time. The periodic task `escalate_routed_questions` calls
`escalate_due_questions`, which takes a clock (`now`) so tests control it.

Load-aware: nobody is sent more than `KOLLEGA_ROUTING_DAILY_CAP` routed questions
(sent automatically or escalated) in 24 hours; people at the cap are skipped and
the next suggestion is asked instead. A send by hand is the asker's own choice
and is neither counted nor capped.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.limits import ROUTING_BATCH_MAX_PEOPLE, ROUTING_WAIT_MAX_HOURS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.people.services import time_zone_of
from kollega.qa.models import Question, QuestionStatus, Referral, Routed, RoutingPlan
from kollega.qa.services.routing import suggest_answerers

DEFAULT_BATCH = 3
DEFAULT_WAIT_HOURS = 4
CAP_WINDOW = timedelta(hours=24)
WORKDAYS = range(0, 5)  # Monday to Friday
# Suggestions looked at beyond the batch, for the people at the cap to be skipped.
CAP_SLACK = 20


@dataclass(frozen=True)
class Routing:
    """What the asker chose: how many people at a time, and how long to wait for them."""

    batch: int = DEFAULT_BATCH
    wait_hours: Decimal | float | int | str = DEFAULT_WAIT_HOURS


def working_hours() -> tuple[int, int]:
    """The working day from `KOLLEGA_WORKING_HOURS` ("08-17"): (8, 17)."""
    raw = settings.KOLLEGA_WORKING_HOURS
    try:
        start, end = (int(part) for part in raw.split("-"))
    except ValueError:
        raise ImproperlyConfigured(
            f"KOLLEGA_WORKING_HOURS must be like 08-17, not {raw!r}"
        ) from None
    if not 0 <= start < end <= 24:
        raise ImproperlyConfigured(f"KOLLEGA_WORKING_HOURS must be like 08-17, not {raw!r}")
    return start, end


def _at(day, hour: int, zone: ZoneInfo) -> datetime:
    if hour == 24:
        return datetime.combine(day + timedelta(days=1), time(0), zone)
    return datetime.combine(day, time(hour), zone)


def working_deadline(start: datetime, minutes: int, zone: ZoneInfo) -> datetime:
    """When `minutes` of working time have passed since `start`, in time zone `zone`.

    Nights and weekends do not count: asked on Friday at 16:00 with four hours to
    wait and a day of 08-17, the deadline is Monday at 11:00.
    """
    first, last = working_hours()
    remaining = timedelta(minutes=minutes)
    cursor = start.astimezone(zone)
    day = cursor.date()
    for _day in range(400):
        if day.weekday() in WORKDAYS:
            begin, close = max(cursor, _at(day, first, zone)), _at(day, last, zone)
            if begin < close:
                if remaining <= close - begin:
                    return (begin + remaining).astimezone(ZoneInfo("UTC"))
                remaining -= close - begin
        day += timedelta(days=1)
        cursor = datetime.combine(day, time(0), zone)
    raise ValueError("no working time within a year")  # unreachable with a sane day


def checked_routing(routing: Routing) -> tuple[int, int]:
    """The batch and the wait in minutes, or a ValidationError that says what is wrong."""
    try:
        batch = int(routing.batch)
    except (TypeError, ValueError):
        batch = 0
    if not 1 <= batch <= ROUTING_BATCH_MAX_PEOPLE or str(batch) != str(routing.batch).strip():
        raise ValidationError(
            _("Send it to between 1 and %(n)d people at a time."),
            params={"n": ROUTING_BATCH_MAX_PEOPLE},
            code="bad_batch",
        )
    try:
        hours = Decimal(str(routing.wait_hours).strip().replace(",", "."))
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        raise ValidationError(
            _("The waiting time must be a number of hours, such as 4 or 1.5."), code="bad_wait"
        )
    if hours <= 0:
        raise ValidationError(
            _("The deadline must be after now: wait more than 0 hours."), code="wait_in_past"
        )
    if hours > ROUTING_WAIT_MAX_HOURS:
        raise ValidationError(
            _("Wait at most %(n)d working hours."),
            params={"n": ROUTING_WAIT_MAX_HOURS},
            code="wait_too_long",
        )
    return batch, max(1, int(hours * 60))


def routed_recently(people_ids, now: datetime) -> dict[int, int]:
    """How many routed questions each of `people_ids` was sent in the 24 hours before `now`."""
    rows = (
        Referral.objects.filter(
            person_id__in=people_ids,
            routed__in=[Routed.AUTO, Routed.ESCALATED],
            created_at__gt=now - CAP_WINDOW,
            created_at__lte=now,
        )
        .values("person_id")
        .annotate(n=Count("id"))
    )
    return {row["person_id"]: row["n"] for row in rows}


def next_recipients(asker: Person, question: Question, batch: int, now: datetime) -> list:
    """The next `batch` suggestions for `question` (people already asked left out), skipping
    anyone at the daily cap of routed questions."""
    suggestions = suggest_answerers(asker, question, limit=batch + CAP_SLACK)
    load = routed_recently([s.person.pk for s in suggestions], now)
    cap = settings.KOLLEGA_ROUTING_DAILY_CAP
    return [s for s in suggestions if load.get(s.person.pk, 0) < cap][:batch]


def _send_round(plan: RoutingPlan, now: datetime, routed: str) -> list[Referral]:
    """Send the question to the next people of `plan`, and set the next deadline."""
    from kollega.qa.services.asking import _put_to, _shortened

    question = plan.question
    asker = question.post.author
    chosen = next_recipients(asker, question, plan.batch, now)
    if not chosen:
        plan.state, plan.deadline = RoutingPlan.State.EXHAUSTED, None
        plan.save(update_fields=["state", "deadline"])
        return []
    sent = []
    for suggestion in chosen:
        reason = _shortened("; ".join(suggestion.reasons))
        sent.append(
            _put_to(question, asker, suggestion.person, None, reason, routed=routed, now=now)
        )
        notify(suggestion.person, Notification.Kind.QUESTION_SENT, asker, post=question.post)
    plan.deadline = max(
        working_deadline(now, plan.wait_minutes, time_zone_of(r.person)) for r in sent
    )
    plan.rounds += 1
    plan.save(update_fields=["deadline", "rounds"])
    return sent


@transaction.atomic
def route_question(
    asker: Person, question: Question, routing: Routing = Routing(), now: datetime | None = None
) -> list[Referral]:
    """Let Kollega send the asker's question at once to the top suggestions, and on to the
    next ones whenever nobody has answered or referred it within the chosen working hours.

    A bad batch or wait (not a number, a deadline not after now) refuses it and
    nothing is sent. Returns the referrals of the first round (none if nobody
    stands out: the plan is then exhausted at once).
    """
    if question.post.author_id != asker.pk:
        raise PermissionDenied(_("Only the asker can send this question."))
    batch, minutes = checked_routing(routing)
    if RoutingPlan.objects.filter(question=question).exists():
        raise ValidationError(_("Kollega already sends this question on."), code="routed")
    now = now or timezone.now()
    plan = RoutingPlan.objects.create(
        question=question, batch=batch, wait_minutes=minutes, created_at=now
    )
    return _send_round(plan, now, Routed.AUTO)


def _settled(plan: RoutingPlan) -> bool:
    """Somebody answered the question, or referred it on, so nobody else need be asked."""
    question = plan.question
    if question.answer_count or question.status != QuestionStatus.OPEN:
        return True
    return (
        Referral.objects.filter(question=question)
        .filter(~Q(referred_by=question.post.author_id))
        .exists()
    )


def escalate_due_questions(now: datetime | None = None) -> list[Referral]:
    """Send every routed question past its deadline, unanswered and not referred, to the
    next suggestions (the periodic task). Plans whose question was answered or
    referred are settled instead. Returns the referrals made."""
    now = now or timezone.now()
    made = []
    due = RoutingPlan.objects.filter(state=RoutingPlan.State.WAITING, deadline__lte=now)
    for plan_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            plan = (
                RoutingPlan.objects.select_for_update()
                .select_related("question__post__author__user")
                .filter(pk=plan_id, state=RoutingPlan.State.WAITING, deadline__lte=now)
                .first()
            )
            if plan is None:
                continue
            if _settled(plan):
                plan.state, plan.deadline = RoutingPlan.State.SETTLED, None
                plan.save(update_fields=["state", "deadline"])
                continue
            made += _send_round(plan, now, Routed.ESCALATED)
    return made


def routing_of(person: Person, question: Question) -> RoutingPlan | None:
    """The question's routing plan, if the asker let Kollega send it; only the asker
    sees it (None for anyone else)."""
    if question.post.author_id != person.pk:
        return None
    return RoutingPlan.objects.filter(question=question).first()
