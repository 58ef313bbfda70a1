"""The shared inbox's rules: mentions assigned, answered or dismissed, and how fast.

Every function takes the acting person first and checks they are on the
listening team (`kollega.permissions.listening`); a mention is reached through
`visible_mention` only. The lifecycle (see `Mention`):

    new ──assign──▶ assigned ──answer──▶ answered
     │                 │
     └────dismiss──────┴──────────────▶ dismissed (with a reason)

A new mention may be answered at once (whoever answers is its assignee).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.limits import LISTENING_DISMISS_REASON_MAX_CHARS as DISMISS_REASON_MAX_CHARS
from kollega.listening.models import Mention
from kollega.permissions import NotFound
from kollega.permissions.listening import may_listen


def _check(person) -> None:
    if not may_listen(person):
        raise PermissionDenied(_("Listening is for staff and the listening team."))


def inbox(person, state: str | None = None):
    """The mentions `person` may work on: open ones (new, assigned) oldest first by default."""
    _check(person)
    mentions = Mention.objects.select_related("item__source", "term", "assignee")
    if state:
        return mentions.filter(state=state).order_by("-created_at", "-pk")
    return mentions.open().oldest_first()


def visible_mention(person, mention_id: int) -> Mention:
    """The mention, if `person` is on the listening team; else NotFound."""
    if not may_listen(person):
        raise NotFound()
    try:
        return Mention.objects.select_related("item__source", "term").get(pk=mention_id)
    except Mention.DoesNotExist:
        raise NotFound() from None


def _open(mention: Mention) -> Mention:
    """The mention locked for a change; a closed one cannot change any more."""
    locked = Mention.objects.select_for_update().get(pk=mention.pk)
    if locked.state not in (Mention.State.NEW, Mention.State.ASSIGNED):
        raise ValidationError(_("This mention is already answered or dismissed."))
    return locked


def assign_mention(person, mention: Mention, assignee) -> Mention:
    """Give an open mention to a colleague on the listening team (who then answers it)."""
    _check(person)
    if not may_listen(assignee):
        raise ValidationError(_("Only someone on the listening team can take a mention."))
    with transaction.atomic():
        mention = _open(mention)
        mention.state, mention.assignee = Mention.State.ASSIGNED, assignee
        mention.assigned_at = timezone.now()
        mention.save(update_fields=["state", "assignee", "assigned_at"])
    return mention


def answer_mention(person, mention: Mention) -> Mention:
    """Mark an open mention answered (at its source): its response time stops now."""
    _check(person)
    with transaction.atomic():
        mention = _open(mention)
        now = timezone.now()
        if mention.assignee_id is None:
            mention.assignee, mention.assigned_at = person, now
        mention.state, mention.closed_at = Mention.State.ANSWERED, now
        mention.save(update_fields=["state", "assignee", "assigned_at", "closed_at"])
    return mention


def dismiss_mention(person, mention: Mention, reason: str) -> Mention:
    """Close an open mention without an answer, saying why (spam, not about us, …)."""
    _check(person)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why this mention needs no answer."))
    if len(reason) > DISMISS_REASON_MAX_CHARS:
        raise ValidationError(
            _("A reason is at most %(limit)d characters.") % {"limit": DISMISS_REASON_MAX_CHARS}
        )
    with transaction.atomic():
        mention = _open(mention)
        mention.state, mention.dismiss_reason = Mention.State.DISMISSED, reason
        mention.closed_at = timezone.now()
        mention.save(update_fields=["state", "dismiss_reason", "closed_at"])
    return mention


def response_times(person) -> list[dict]:
    """Per term: mentions closed and their mean response time (first seen → closed)."""
    _check(person)
    rows = (
        Mention.objects.filter(closed_at__isnull=False)
        .values("term__phrase")
        .annotate(closed=Count("pk"), mean=Avg(F("closed_at") - F("created_at")))
        .order_by("term__phrase")
    )
    return [
        {"term": r["term__phrase"], "closed": r["closed"], "mean": _duration(r["mean"])}
        for r in rows
    ]


def _duration(value) -> timedelta | None:
    """Avg over a duration is a timedelta on PostgreSQL, microseconds on SQLite."""
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(microseconds=float(value))
