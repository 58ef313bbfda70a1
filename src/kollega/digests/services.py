"""Daily and weekly digests: what each person should look at, mailed at their morning.

A person chooses a daily digest, a weekly one (Monday morning) or none
(`digest_choice`; without a choice: daily if any kind of notification goes to
their digest, as the defaults send most, else weekly). A digest covers the day
(or the week) that ends at `KOLLEGA_DIGEST_HOUR` o'clock of the person's own
time zone (`people.services.time_zone_of`); its content is built by the
section builders of `sections.SECTIONS`, each item read through the
permission module when the digest is built.

`send_digest` builds one person's digest and, in one transaction, queues its
mail (a `mail.Delivery`: the outbox, sent by the mail worker with retries) and
records `DigestSent` (unique per person, period and first day). A run killed
mid-way has, for each person, made both or neither; a second run skips those
already made. An empty digest is recorded and not mailed. A person without a
usable e-mail address gets a SKIPPED delivery, which `kollega mail status`
and the admin site list, and is named in `kollega digest send`'s report.
"""

import gc
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kollega.communities.models import Membership
from kollega.digests.models import DigestChoice, DigestPreference, DigestSent, Period
from kollega.digests.sections import SECTIONS, Circle, Section, Window, one_run
from kollega.mail.compose import absolute_links, in_language_of, unsubscribe_token
from kollega.mail.models import Delivery
from kollega.mail.services import queue_mail, site_url
from kollega.network.models import Contact, TagFollow
from kollega.notifications.models import MailChoice, MailPreference, Notification
from kollega.notifications.services import mail_choices, set_mail_choices, with_default_choices
from kollega.people.models import Person
from kollega.people.services import time_zone_of
from kollega.posts.models import Mention
from kollega.qa.models import Referral, ReferralStatus

logger = logging.getLogger(__name__)

# Delivery.kind of a digest, and the kind its one-click unsubscribe turns off.
KIND = "digest"
# The periodic job sends a digest whose morning passed at most this long ago: a worker
# down overnight still sends this morning's, never the one of days ago.
CATCH_UP = timedelta(hours=12)
# People read, and their choices looked up, this many at a time.
PEOPLE_PER_CHUNK = 500
PERIOD_LENGTH = {Period.DAILY: timedelta(days=1), Period.WEEKLY: timedelta(days=7)}


class Outcome:
    SENT = "sent"
    EMPTY = "empty"
    NO_ADDRESS = "no_address"
    ALREADY_SENT = "already_sent"
    NOT_CHOSEN = "not_chosen"


# --- choices --------------------------------------------------------------------------------


def default_digest_choice(kind_choices: dict[str, str]) -> str:
    """Daily for someone who sends any kind of notification to their digest, else weekly."""
    if MailChoice.DIGEST in kind_choices.values():
        return DigestChoice.DAILY
    return DigestChoice.WEEKLY


def mail_choices_of(person: Person) -> dict[str, str]:
    """`notifications.services.mail_choices`, read once per person per run (see `_prepare`)."""
    if not hasattr(person, "_digest_mail_choices"):
        person._digest_mail_choices = mail_choices(person)
    return person._digest_mail_choices


def digest_choice(person: Person) -> str:
    """How often `person` gets a digest: daily, weekly or none (their choice, or the default)."""
    if not hasattr(person, "_digest_choice"):
        chosen = (
            DigestPreference.objects.filter(person=person).values_list("choice", flat=True).first()
        )
        person._digest_choice = chosen or default_digest_choice(mail_choices_of(person))
    return person._digest_choice


@transaction.atomic
def set_digest_choice(person: Person, choice: str) -> str:
    """Set how often `person` gets a digest; an unknown choice raises ValidationError."""
    if choice not in DigestChoice.values:
        raise ValidationError(
            _("Digest: choose one of %(choices)s.") % {"choices": ", ".join(DigestChoice.values)}
        )
    DigestPreference.objects.update_or_create(person=person, defaults={"choice": choice})
    person._digest_choice = choice
    return choice


@transaction.atomic
def set_mail_preferences(person: Person, kinds: dict[str, str], digest: str | None = None) -> None:
    """Change some of `person`'s mail choices (`notifications.services.set_mail_choices`) and,
    with `digest`, how often their digest comes: all or nothing (ValidationError)."""
    set_mail_choices(person, kinds)
    if digest is not None:
        set_digest_choice(person, digest)


# --- when -----------------------------------------------------------------------------------


def digest_hour() -> int:
    return settings.KOLLEGA_DIGEST_HOUR


def window_of(person: Person, period: str, now: datetime | None = None) -> Window:
    """The latest period of `person`'s to end: it ends at the last digest hour of their
    time zone (a Monday's, for a weekly digest) at or before `now`."""
    local = (now or timezone.now()).astimezone(time_zone_of(person))
    morning = local.replace(hour=digest_hour(), minute=0, second=0, microsecond=0)
    if morning > local:
        morning -= timedelta(days=1)
    if period == Period.WEEKLY:
        morning -= timedelta(days=morning.weekday())
    start = morning - PERIOD_LENGTH[period]
    return Window(period=period, start=start, end=morning)


def _window_in_run(person: Person, period: str, now: datetime | None) -> Window:
    """`window_of`, computed once per person per run (see `_prepare`)."""
    cached = getattr(person, "_digest_window", None)
    if cached is not None and cached[0] == (period, now):
        return cached[1]
    return window_of(person, period, now)


# --- what -----------------------------------------------------------------------------------


@dataclass
class Digest:
    person: Person
    window: Window
    sections: list[Section] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0

    @property
    def first_day(self) -> date:
        return self.window.start.date()


def build_digest(
    person: Person, period: str, now: datetime | None = None, *, up_to_now: bool = False
) -> Digest:
    """`person`'s digest for the latest `period` to end, in their language; sections with
    nothing to say are left out. `up_to_now`: for the day (or week) ending now instead,
    as the preview shows it."""
    if up_to_now:
        now = now or timezone.now()
        window = Window(period=period, start=now - PERIOD_LENGTH[period], end=now)
    else:
        window = _window_in_run(person, period, now)
    shown: set[int] = set()  # posts listed by an earlier section
    digest = Digest(person, window)
    with in_language_of(person):
        for build in SECTIONS:
            section = build(person, window, shown)
            if section is not None and section.items:
                digest.sections.append(section)
    return digest


def subject_of(digest: Digest) -> str:
    count = digest.item_count
    if digest.window.period == Period.WEEKLY:
        text = ngettext(
            "Your weekly Kollega digest: %(count)d item",
            "Your weekly Kollega digest: %(count)d items",
            count,
        )
    else:
        text = ngettext(
            "Your daily Kollega digest: %(count)d item",
            "Your daily Kollega digest: %(count)d items",
            count,
        )
    return text % {"count": count}


def render_digest(digest: Digest) -> dict:
    """The digest's mail: subject, plain text, HTML and headers, in the person's language.

    The same HTML is what the preview page shows. The footer and headers are the
    mail app's (`mail/base.*`): mail settings, and a one-click unsubscribe that
    turns the digest off.
    """
    person = digest.person
    with in_language_of(person):
        subject = subject_of(digest)
        unsubscribe_url = site_url(
            reverse("mail_unsubscribe", args=[unsubscribe_token(person, [KIND])])
        )
        context = {
            "digest": digest,
            "sections": digest.sections,
            "person": person,
            "site_url": settings.KOLLEGA_SITE_URL,
            "settings_url": site_url(reverse("mail_settings")),
            "unsubscribe_url": unsubscribe_url,
            "subject": subject,
        }
        text = render_to_string("digests/digest.txt", context)
        html = absolute_links(render_to_string("digests/digest.html", context))
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
            "Content-Language": translation.get_language(),
        }
    return {"subject": subject, "text": _tidy(text), "html": html, "headers": headers}


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"


# --- sending --------------------------------------------------------------------------------


def send_digest(
    person: Person, period: str, now: datetime | None = None, *, dry_run: bool = False
) -> tuple[str, Digest | None]:
    """Make `person`'s digest for the latest `period` to end, unless it was made already.

    Returns what happened (an `Outcome`) and the digest built (None when none
    was). Queueing the mail and recording `DigestSent` are one transaction; a
    second run, or a concurrent one, finds the record and makes nothing. With
    `dry_run` nothing is written.
    """
    if digest_choice(person) != period:
        return Outcome.NOT_CHOSEN, None
    window = _window_in_run(person, period, now)
    already = getattr(person, "_digest_sent", None)
    if already is None:
        already = DigestSent.objects.filter(
            person=person, period=period, period_start=window.start.date()
        ).exists()
    if already:
        return Outcome.ALREADY_SENT, None
    digest = build_digest(person, period, now)
    if dry_run:
        if digest.is_empty:
            return Outcome.EMPTY, digest
        return (Outcome.SENT if person.email else Outcome.NO_ADDRESS), digest
    try:
        with transaction.atomic():
            return _record(digest), digest
    except IntegrityError:
        return Outcome.ALREADY_SENT, None


def _record(digest: Digest) -> str:
    person = digest.person
    sent = DigestSent(person=person, period=digest.window.period, period_start=digest.first_day)
    if digest.is_empty:
        sent.save()
        return Outcome.EMPTY
    delivery = queue_mail(person, kind=KIND, **render_digest(digest))
    sent.delivery, sent.items = delivery, digest.item_count
    sent.save()
    if delivery.status == Delivery.Status.SKIPPED:
        return Outcome.NO_ADDRESS
    return Outcome.SENT


@dataclass
class Report:
    """What a run did: how many of each outcome, and who has no usable address."""

    period: str
    counts: Counter = field(default_factory=Counter)
    no_address: list[str] = field(default_factory=list)
    people: int = 0


def people_to_send(username: str | None = None):
    """Active people (or the one named), oldest first, streamed."""
    people = Person.objects.filter(user__is_active=True).select_related("user", "office")
    if username is not None:
        people = people.filter(user__username=username)
    return people.order_by("pk")


def send_digests(
    period: str,
    now: datetime | None = None,
    *,
    username: str | None = None,
    dry_run: bool = False,
    catch_up: timedelta | None = None,
    on_person=None,
) -> Report:
    """Make the digest for `period` of every active person who chose it (or of `username`).

    People are streamed in chunks of `PEOPLE_PER_CHUNK`, their choices and
    records read once per chunk, the period's activity once per run. `catch_up`:
    only digests whose period ended at most that long ago (the periodic job).
    `on_person(person, outcome, digest)` is called for each person (the command
    prints from it).
    """
    if period not in Period.values:
        raise ValueError(f"Unknown period {period!r}")
    now = now or timezone.now()
    report = Report(period)
    chunk: list[Person] = []
    with one_run():
        for person in people_to_send(username).iterator(chunk_size=PEOPLE_PER_CHUNK):
            chunk.append(person)
            if len(chunk) == PEOPLE_PER_CHUNK:
                _send_chunk(chunk, period, now, dry_run, catch_up, report, on_person)
                chunk = []
        if chunk:
            _send_chunk(chunk, period, now, dry_run, catch_up, report, on_person)
    return report


def _send_chunk(chunk, period, now, dry_run, catch_up, report, on_person) -> None:
    # Each person and their account refer to each other (select_related caches both
    # ways), so a chunk's people are freed only by the cycle collector; collect the
    # previous chunk's now, so that memory stays flat over 100,000 people.
    gc.collect()
    _prepare(chunk, period, now)
    for person in chunk:
        if catch_up is not None and now - _window_in_run(person, period, now).end > catch_up:
            continue
        report.people += 1
        outcome, digest = send_digest(person, period, now, dry_run=dry_run)
        report.counts[outcome] += 1
        if outcome == Outcome.NO_ADDRESS:
            report.no_address.append(person.user.username)
            logger.warning("Digest for %s skipped: no usable e-mail address", person.user.username)
        if on_person is not None:
            on_person(person, outcome, digest)


def _prepare(chunk: list[Person], period: str, now: datetime) -> None:
    """Read the chunk's digest and mail choices, digest records, contacts, communities and
    followed tags: six queries for the chunk instead of six per person."""
    ids = [person.pk for person in chunk]
    chosen = dict(
        DigestPreference.objects.filter(person__in=ids).values_list("person_id", "choice")
    )
    kinds: dict[int, dict[str, str]] = {pk: {} for pk in ids}
    for person_id, kind, choice in MailPreference.objects.filter(person__in=ids).values_list(
        "person_id", "kind", "choice"
    ):
        kinds[person_id][kind] = choice
    windows = {person.pk: window_of(person, period, now) for person in chunk}
    firsts = {pk: window.start.date() for pk, window in windows.items()}
    sent = set(
        DigestSent.objects.filter(
            person__in=ids, period=period, period_start__in=set(firsts.values())
        ).values_list("person_id", "period_start")
    )
    circles = {pk: Circle(set(), set(), set()) for pk in ids}
    for person_id, contact_id in Contact.objects.filter(person__in=ids).values_list(
        "person_id", "contact_id"
    ):
        circles[person_id].contacts.add(contact_id)
    for person_id, community_id in Membership.objects.filter(person__in=ids).values_list(
        "person_id", "community_id"
    ):
        circles[person_id].communities.add(community_id)
    for person_id, tag_id in TagFollow.objects.filter(follower__in=ids).values_list(
        "follower_id", "tag_id"
    ):
        circles[person_id].tags.add(tag_id)
    starts, ends = [w.start for w in windows.values()], [w.end for w in windows.values()]
    hints = _hints(ids, min(starts), max(ends))
    for person in chunk:
        person._digest_window = ((period, now), windows[person.pk])
        person._digest_hints = _hints_of(hints, person.pk, windows[person.pk])
        person._digest_circle = circles[person.pk]
        person._digest_mail_choices = with_default_choices(kinds[person.pk])
        person._digest_choice = chosen.get(person.pk) or default_digest_choice(
            person._digest_mail_choices
        )
        person._digest_sent = (person.pk, firsts[person.pk]) in sent


def _hints(ids: list[int], start: datetime, end: datetime) -> dict[str, dict[int, list]]:
    """What each person of a chunk may find in their digest, for the sections to skip
    their queries when there is nothing: questions waiting for them, kinds of
    notification and mentions of the period. Each is still read through the
    permission module by its section."""
    found: dict[str, dict[int, list]] = {"referred": {}, "notified": {}, "mentioned": {}}
    for person_id, question_id in Referral.objects.filter(
        person__in=ids, status=ReferralStatus.WAITING
    ).values_list("person_id", "question_id"):
        found["referred"].setdefault(person_id, []).append((question_id, None))
    for person_id, kind, at in Notification.objects.filter(
        recipient__in=ids, created_at__gte=start, created_at__lt=end
    ).values_list("recipient_id", "kind", "created_at"):
        found["notified"].setdefault(person_id, []).append((kind, at))
    for person_id, at in Mention.objects.filter(
        person__in=ids, created_at__gte=start, created_at__lt=end
    ).values_list("person_id", "created_at"):
        found["mentioned"].setdefault(person_id, []).append((True, at))
    return found


def _hints_of(hints: dict, person_id: int, window: Window) -> dict[str, set]:
    """One person's hints, within their own window."""
    return {
        name: {
            thing
            for thing, at in found.get(person_id, ())
            if at is None or window.start <= at < window.end
        }
        for name, found in hints.items()
    }


def send_due_digests(now: datetime | None = None) -> Report:
    """The periodic job: every digest whose morning came in the last `CATCH_UP` hours and
    that was not made yet (daily ones every morning, weekly ones on Mondays)."""
    now = now or timezone.now()
    report = Report("due")
    for period in Period.values:
        done = send_digests(period, now, catch_up=CATCH_UP)
        report.counts.update(done.counts)
        report.no_address.extend(done.no_address)
        report.people += done.people
    return report
