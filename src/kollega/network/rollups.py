"""Rollups for the network and silo-bridging panels (`network/insights.py`).

Counting a whole organisation's contacts, answers, comments and active people over
weeks from the rows themselves takes seconds at 100,000 people. These tables hold
the same figures per day: `DayTies` (ties made per day, kind and pair of
departments) and `ActiveDay` (who was active each day). `refresh()` recomputes
today and yesterday every few minutes (the `refresh-insights-rollups` job, so the
panels lag the rows by at most that interval) and, the first time, every day since
the first row. `kollega insights rollup --rebuild` starts over, for after an import
that wrote into the past.

Until the first refresh there is no `RollupState` row and the panels compute from
the rows themselves, as before.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, F, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from kollega.network.models import ActiveDay, Contact, DayTies, PersonFollow, RollupState
from kollega.posts.models import Comment, Post, Recommendation
from kollega.qa.models import Answer

# Recomputed at every refresh: writes near midnight may land in yesterday.
OPEN_DAYS = 2
BATCH = 2000

Kind = DayTies.Kind


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _tie_sources():
    """(kind, rows, when, from person's department, to person's department)."""
    return (
        (
            Kind.CONTACT,
            Contact.objects.filter(person_id__lt=F("contact_id")),
            "since",
            "person__department_id",
            "contact__department_id",
        ),
        (
            Kind.FOLLOW,
            PersonFollow.objects.all(),
            "since",
            "follower__department_id",
            "followed__department_id",
        ),
        (
            Kind.ANSWER,
            Answer.objects.exclude(question__post__author=F("author")),
            "created_at",
            "author__department_id",
            "question__post__author__department_id",
        ),
        (
            Kind.COMMENT,
            Comment.objects.exclude(post__author=F("author")),
            "created_at",
            "author__department_id",
            "post__author__department_id",
        ),
    )


ACTIVITY_SOURCES = (
    (Post.objects, "author"),
    (Comment.objects, "author"),
    (Answer.objects, "author"),
    (Recommendation.objects, "person"),
)


def day_ties(start: datetime, end: datetime) -> Iterator[tuple]:
    """(day, kind, from department, to department, count) of the ties made in
    [start, end), counted by the database."""
    zone = timezone.get_current_timezone()
    for kind, rows, when, one, other in _tie_sources():
        grouped = (
            rows.filter(**{f"{when}__gte": start, f"{when}__lt": end})
            .annotate(day=TruncDate(when, tzinfo=zone))
            .order_by()
            .values_list("day", one, other)
            .annotate(n=Count("pk"))
        )
        for day, a, b, n in grouped:
            yield day, kind, a, b, n


def active_days(start: datetime, end: datetime) -> set[tuple]:
    """(day, person id, department id) for everyone active in [start, end)."""
    zone = timezone.get_current_timezone()
    seen = set()
    for manager, who in ACTIVITY_SOURCES:
        seen.update(
            manager.filter(created_at__gte=start, created_at__lt=end)
            .annotate(day=TruncDate("created_at", tzinfo=zone))
            .order_by()
            .values_list("day", f"{who}_id", f"{who}__department_id")
            .distinct()
        )
    return seen


def _first_day() -> date | None:
    """The first day anything the rollups count happened (None: nothing yet)."""
    firsts = [rows.aggregate(m=Min(when))["m"] for _kind, rows, when, _a, _b in _tie_sources()]
    firsts += [manager.aggregate(m=Min("created_at"))["m"] for manager, _who in ACTIVITY_SOURCES]
    firsts = [f for f in firsts if f is not None]
    return timezone.localdate(min(firsts)) if firsts else None


def _roll_up(first: date, last: date) -> None:
    """Replace the rollups of the days from `first` to `last` (both included)."""
    start, end = _midnight(first), _midnight(last + timedelta(days=1))
    with transaction.atomic():
        DayTies.objects.filter(day__gte=first, day__lte=last).delete()
        ActiveDay.objects.filter(day__gte=first, day__lte=last).delete()
        DayTies.objects.bulk_create(
            [
                DayTies(day=d, kind=k, from_department=a, to_department=b, count=n)
                for d, k, a, b, n in day_ties(start, end)
            ],
            batch_size=BATCH,
        )
        ActiveDay.objects.bulk_create(
            [ActiveDay(day=d, person_id=p, department=e) for d, p, e in active_days(start, end)],
            batch_size=BATCH,
        )


def refresh(rebuild: bool = False, progress=None) -> int:
    """Bring the rollups up to now; returns how many days were rolled up.

    The first time (or with `rebuild`) every day since the first row, a month at a
    time (`progress(days)` is called after each); afterwards the open days only."""
    today = timezone.localdate()
    state = RollupState.objects.first()
    if rebuild or state is None:
        RollupState.objects.all().delete()
        DayTies.objects.all().delete()
        ActiveDay.objects.all().delete()
        first = _first_day() or today
        state = None
    else:
        first = min(today - timedelta(days=OPEN_DAYS - 1), timezone.localdate(state.refreshed_at))
    days = (today - first).days + 1
    at = first
    while at <= today:
        last = min(at + timedelta(days=30), today)
        _roll_up(at, last)
        if progress:
            progress((last - at).days + 1)
        at = last + timedelta(days=1)
    if state is None:
        RollupState.objects.create(refreshed_at=timezone.now())
    else:
        RollupState.objects.filter(pk=state.pk).update(refreshed_at=timezone.now())
    return days


def rolled_up() -> bool:
    """Whether the panels read the rollups (they exist) or the rows themselves."""
    return RollupState.objects.exists()
