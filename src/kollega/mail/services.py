"""Outbound mail: queue a message for one person, send it from the worker, retry on failure.

Nothing here sends inside a request. `queue_mail` renders nothing and sends
nothing: it stores the finished message as a `Delivery` (QUEUED) and, when a
worker runs the task queue, asks it to send once the transaction commits.
`send_delivery` makes one attempt; a failure (refused, timed out, no server)
is logged, kept on the delivery as `last_error`, and retried after 1, 2, 4 …
minutes (at most an hour apart) until `GIVE_UP_AFTER` has passed. The periodic
job (`tasks.send_mail`, every minute) sends whatever is due, so a worker restart
or an SMTP server down for hours loses nothing.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kollega.mail.models import Delivery, InboundMail
from kollega.people.models import Person

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=3)
# An attempt holds its delivery this long; a worker killed mid-send frees it after.
ATTEMPT_LEASE = timedelta(minutes=10)
# Finished deliveries (and what they said) are kept this long for the administrator.
KEPT_FOR = timedelta(days=30)
# The periodic job hands at most this many due deliveries to the workers each minute.
SENT_PER_ROUND = 500


def site_url(path: str) -> str:
    """`path` (starting with /) as an absolute link on the public address."""
    return settings.KOLLEGA_SITE_URL + path


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, ≤ 1 hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _usable_address(person: Person) -> tuple[str, str]:
    """The person's address, or "" and why it cannot be used."""
    address = (person.email or "").strip()
    if not address:
        return "", "The person has no e-mail address."
    return _usable(address)


def _usable(address: str) -> tuple[str, str]:
    """The address if it is valid, or "" and why it cannot be used."""
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        return "", f"Not a valid e-mail address: {address[:200]!r}."
    return address, ""


def queue_mail(
    person: Person | None,
    *,
    kind: str,
    subject: str,
    text: str,
    html: str,
    headers: dict,
    address: str | None = None,
) -> Delivery:
    """Keep a finished message to `person` (or to `address`) until a worker has sent it.

    A person without a usable address gets a SKIPPED delivery (listed for the
    administrator by `kollega mail status` and the admin site) and a log line.
    `address` sends elsewhere than the person's address (a bounce goes to the
    sender of the mail it answers, who may be nobody known: `person` None).
    """
    address, problem = _usable(address) if address is not None else _usable_address(person)
    now = timezone.now()
    delivery = Delivery.objects.create(
        recipient=person,
        address=address,
        kind=kind,
        subject=" ".join(subject.split())[:250],  # one line: a header never holds a newline
        text=text,
        html=html,
        headers=headers,
        message_id=make_msgid(domain=_message_id_domain()),
        status=Delivery.Status.SKIPPED if problem else Delivery.Status.QUEUED,
        next_attempt_at=None if problem else now,
        last_error=problem,
    )
    if problem:
        who = person.user.username if person is not None else "(nobody known)"
        logger.warning("Mail %s to %s skipped: %s", kind, who, problem)
    else:
        transaction.on_commit(lambda: _hand_to_worker(delivery.pk))
    return delivery


def _message_id_domain() -> str:
    host = settings.KOLLEGA_SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "kollega.invalid"


def _hand_to_worker(delivery_id: int) -> None:
    """Ask a worker to send now; with tasks run in the request, leave it to the periodic job."""
    from kollega.mail.tasks import deliver

    if _tasks_run_in_place():
        return
    deliver.enqueue(delivery_id)


def _tasks_run_in_place() -> bool:
    from django_tasks.backends.immediate import ImmediateBackend

    from kollega.mail.tasks import deliver

    return isinstance(deliver.get_backend(), ImmediateBackend)


def _claim(delivery_id: int, now) -> Delivery | None:
    """Take the delivery for one attempt, unless it is not due or another worker has it."""
    with transaction.atomic():
        claimed = Delivery.objects.due(now).filter(pk=delivery_id)
        for delivery in claimed.select_for_update():
            taken = Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
                attempts=delivery.attempts + 1, next_attempt_at=now + ATTEMPT_LEASE
            )
            if not taken:
                return None
            delivery.attempts += 1
            return delivery
    return None


def message_of(delivery: Delivery) -> EmailMultiAlternatives:
    """The delivery as a multipart message: plain text, and HTML as the alternative."""
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={"Message-ID": delivery.message_id, **delivery.headers},
        connection=get_connection(fail_silently=False),
    )
    message.attach_alternative(delivery.html, "text/html")
    return message


def send_delivery(delivery_id: int, now=None) -> str:
    """Make one attempt at a due delivery; return its status afterwards.

    A delivery that is not due (sent, given up, or waiting for its next attempt)
    is left alone, so asking twice never sends twice.
    """
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
    try:
        message_of(delivery).send()
    except (smtplib.SMTPException, OSError) as error:
        return _failed(delivery, error, now)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    logger.info("Mail %s sent to %s", delivery.pk, delivery.address)
    return Delivery.Status.SENT


def _failed(delivery: Delivery, error: Exception, now) -> str:
    reason = f"{type(error).__name__}: {error}"[:2000]
    if now - delivery.created_at >= GIVE_UP_AFTER:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, next_attempt_at=None, last_error=reason
        )
        logger.error(
            "Mail %s to %s given up after %d attempts: %s",
            delivery.pk,
            delivery.address,
            delivery.attempts,
            reason,
        )
        return Delivery.Status.FAILED
    wait = retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now + wait, last_error=reason)
    logger.warning(
        "Mail %s to %s failed (attempt %d), retried in %s: %s",
        delivery.pk,
        delivery.address,
        delivery.attempts,
        wait,
        reason,
    )
    return Delivery.Status.QUEUED


def forget_old_deliveries(now=None) -> int:
    """Delete deliveries finished (sent, failed, skipped) more than `KEPT_FOR` ago, and
    the record of replies received as long ago (kept to recognise a second delivery)."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    InboundMail.objects.filter(received_at__lt=cutoff).delete()
    deleted, _ = (
        Delivery.objects.exclude(status=Delivery.Status.QUEUED)
        .filter(created_at__lt=cutoff)
        .delete()
    )
    return deleted


def due_deliveries(now=None) -> list[int]:
    """Ids of the deliveries whose (next) attempt is due, oldest first."""
    due = Delivery.objects.due(now or timezone.now()).order_by("next_attempt_at", "pk")
    return list(due.values_list("pk", flat=True)[:SENT_PER_ROUND])


def mail_status() -> dict:
    """What the administrator needs to know: counts per status and the failing deliveries."""
    counts = {status: 0 for status in Delivery.Status.values}
    for row in Delivery.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    failing = Delivery.objects.failing().select_related("recipient__user")
    return {"counts": counts, "failing": failing}
