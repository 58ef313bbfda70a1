"""Writing to the audit trail, and reading it for the administrator's page.

`record()` is the one way in; the signal receivers (`signals.py`), the share
guard's hooks, the sign-in signals and the operator commands call it.
`record_opened()` notes who opened a Confidential or Strictly confidential item.

An audit failure never costs the caller's write: it is logged at CRITICAL to
the `kollega.audit` logger (an alert for the operator) and the write goes on.
Refusing writes whenever the trail has trouble would turn an audit problem
into an outage; a missing entry shows as a gap nobody can hide, since the
failure is in the log and `kollega audit verify` still checks what was written.
"""

import json
import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kollega.audit import chain, context
from kollega.audit.models import Action, Entry

logger = logging.getLogger("kollega.audit")

NAME_MAX, LABEL_MAX, ID_MAX, KIND_MAX = 200, 200, 64, 40

# Model label → the item kind the trail names it by.
KINDS = {
    "posts.post": "post",
    "posts.comment": "comment",
    "qa.question": "question",
    "qa.answer": "answer",
    "qa.answercomment": "answer_comment",
    "blogs.blogentry": "blog_entry",
    "wikis.page": "wiki_page",
    "bookmarks.bookmark": "bookmark",
    "communities.community": "community",
    "people.person": "person",
    "api.apitoken": "token",
    "auth.user": "account",
}


def kind_of(obj) -> str:
    return KINDS.get(obj._meta.label_lower, obj._meta.model_name)


def label_of(obj) -> str:
    """A short name for an item: its title or name, never its body (which may be secret)."""
    for attribute in ("title", "name", "username"):
        value = obj.__dict__.get(attribute)
        if isinstance(value, str) and value:
            return value
    question = obj._state.fields_cache.get("question")  # an answer names its question
    return getattr(question, "title", "") if question is not None else ""


def _target(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, pk, label = (list(target) + ["", "", ""])[:3]
        return str(kind), "" if pk is None else str(pk), str(label)
    return kind_of(target), str(target.pk), label_of(target)


def _person_of(request):
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def _fields(action, actor, target, detail, request, at, fallback_actor=None) -> dict:
    request = request if request is not None else context.current_request()
    if actor is None and request is not None:
        actor = _person_of(request)
    if actor is None and fallback_actor is not None and not context.current_operator():
        actor = fallback_actor() if callable(fallback_actor) else fallback_actor
    name = actor.name if actor is not None else context.current_operator()
    address = None
    if request is not None:
        from kollega.accounts.clients import client_address

        address = client_address(request)
    kind, pk, label = _target(target)
    return {
        "at": at or timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_name": name[:NAME_MAX],
        "action": str(action),
        "target_kind": kind[:KIND_MAX],
        "target_id": pk[:ID_MAX],
        "target_label": label[:LABEL_MAX],
        # Stored as it reads back from JSON, so the hash is the same before and after.
        "detail": json.loads(json.dumps(detail or {}, default=str)),
        "client_address": address,
    }


def in_transaction() -> bool:
    """True inside a transaction of the product's own (not one a test wraps around it)."""
    blocks = getattr(connection, "atomic_blocks", [])
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def record(
    action: str,
    *,
    actor=None,
    target=None,
    detail: dict | None = None,
    request=None,
    durable: bool = False,
    at: datetime | None = None,
    fallback_actor=None,
) -> Entry | None:
    """Append what happened to the audit trail; return the entry (None if not written yet).

    - `action`: one of `models.Action`.
    - `actor`: the Person who acted; by default the signed-in person of `request`
      (or of the request being served, see `context`), else the operator of a
      `kollega` command; none for the system's own work.
    - `target`: a model instance, or a `(kind, id, label)` tuple.
    - `detail`: a small JSON object (never the item's text).
    - `request`: where the client address (and by default the actor) comes from.
    - `fallback_actor`: the actor when there is no signed-in person and no operator
      (the author of an item written by mail-in, an import or the worker), or a
      function that returns it.
    - `durable`: the entry must outlive the caller's transaction being rolled
      back (a blocked write): inside a transaction it is kept until none is
      open and then written (`flush_pending`), instead of joining it.

    Otherwise the entry joins the caller's transaction: it is written with the
    write it records, or not at all. It never raises: a failure is logged at
    CRITICAL (logger `kollega.audit`) and the caller's write goes on.
    """
    try:
        fields = _fields(action, actor, target, detail, request, at, fallback_actor)
        if durable and in_transaction():
            pending = context.pending.get()
            if pending is None:
                pending = []
                context.pending.set(pending)
            pending.append(fields)
            return None
        entry = chain.append(fields)
        if not in_transaction():
            flush_pending()
        return entry
    except Exception:
        logger.critical("The audit trail could not record %r", action, exc_info=True)
        return None


def flush_pending() -> int:
    """Write the entries kept for after the transaction (see `record(durable=True)`)."""
    pending = context.pending.get()
    if not pending or in_transaction():
        return 0
    context.pending.set(None)
    written = 0
    for fields in pending:
        try:
            chain.append(fields)
            written += 1
        except Exception:
            logger.critical("The audit trail could not record %r", fields["action"], exc_info=True)
    return written


def classification_of(obj) -> int | None:
    """An item's classification level (a question's is its post's)."""
    level = getattr(obj, "classification", None)
    if level is None and getattr(obj, "post", None) is not None:
        level = getattr(obj.post, "classification", None)
    return level


def record_opened(person, obj, request=None) -> Entry | None:
    """Note that `person` opened `obj` if it is Confidential or Strictly confidential.

    At most once per person, item and day (a refresh adds nothing); items of a
    lower level are not recorded. Never raises.
    """
    from kollega.guard.classification import Level

    try:
        level = classification_of(obj)
        if level is None or level < Level.CONFIDENTIAL or person is None:
            return None
        fields = _fields(Action.OPENED, person, obj, {"classification": int(level)}, request, None)
        today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        already = Entry.objects.filter(
            action=Action.OPENED,
            actor_id=person.pk,
            target_kind=fields["target_kind"],
            target_id=fields["target_id"],
            at__gte=today,
        )
        if already.exists():  # the common case, a refresh: no write lock taken
            return None
        return chain.append(fields, unless=already.exists)
    except Exception:
        logger.critical("The audit trail could not record an opened item", exc_info=True)
        return None


def retention_days() -> int:
    return int(getattr(settings, "KOLLEGA_AUDIT_RETENTION_DAYS", 730))


def purge_old_entries(now: datetime | None = None) -> int:
    """Delete entries older than the retention period (none if it is 0: kept forever).

    The chain stays verifiable from its new anchor; the purge itself is recorded.
    Raises `chain.ChainBroken` (and deletes nothing) if the part to go is broken.
    """
    days = retention_days()
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    try:
        deleted = chain.purge(cutoff)
    except chain.ChainBroken:
        logger.critical("The audit trail is broken; nothing was purged", exc_info=True)
        raise
    if deleted:
        record(
            Action.PURGED,
            detail={"deleted": deleted, "before": cutoff.isoformat(), "retention_days": days},
        )
    return deleted


def entries_matching(
    *,
    person=None,
    kind: str = "",
    item: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
):
    """The trail newest first, narrowed to an actor, an item (kind and id), an action and
    a period of whole days (`since` and `until` included, in the site's time zone)."""
    entries = Entry.objects.newest_first()
    if person is not None:
        entries = entries.filter(actor_id=person.pk)
    if kind:
        entries = entries.filter(target_kind=kind)
    if item:
        entries = entries.filter(target_id=item)
    if action:
        entries = entries.filter(action=action)
    # The first and last years are left open: their bounds would not fit in UTC.
    if since is not None and since.year > date.min.year:
        entries = entries.filter(at__gte=_start_of(since))
    if until is not None and until.year < date.max.year:
        entries = entries.filter(at__lt=_start_of(until + timedelta(days=1)))
    return entries


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
