"""`Idempotency-Key` on API POSTs: a retried request creates nothing twice.

A client that sends `Idempotency-Key: <any unique text>` with a POST under
/api/v1/ may send the same request again (a timeout, a lost answer, a double
click) and gets the first answer back, with `Idempotent-Replayed: true`,
instead of a second post, answer or comment. Keys belong to the person who
sent them (whichever of their tokens or their session) and live 24 hours.

- the same key, the same method, path and body: the first answer (status and body);
- the same key with another method, path or body: 422, nothing done;
- the same key while the first request still runs: 409, nothing done;
- only a successful (2xx) answer is kept: a refused request changed nothing,
  so its key is released and the corrected request may use it again.

The key row is inserted before the view runs; the database's unique
constraint decides which of several simultaneous requests goes first, on
SQLite and PostgreSQL alike, and across every server process.
"""

import hashlib
import json
import logging
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from kollega.api.auth import bearer_key, usable_token
from kollega.api.models import IdempotencyKey
from kollega.limits import IDEMPOTENCY_KEY_MAX_CHARS

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEEP_FOR = timedelta(hours=24)
# A key still "in progress" after this long belongs to a request whose process died.
ABANDONED_AFTER = timedelta(minutes=10)
API_PREFIX = "/api/v1/"


def _json(status: int, detail: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": detail}), status=status, content_type="application/json"
    )


def _person_id(request) -> int | None:
    """Who sends the request: a usable token's person, else the signed-in session's."""
    if key := bearer_key(request):
        token = usable_token(key)
        return token.person_id if token else None
    if "Authorization" in request.headers:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        person = getattr(user, "person", None)
        return person.pk if person else None
    return None


def request_hash(request) -> str:
    """SHA-256 of the method, the full path and the body: what "the same request" means."""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request.body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _claim(person_id: int, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """The key's row, and True if this request inserted it (and so runs the view)."""
    now = timezone.now()
    # Forget an expired use of this key, or one a dead process left in progress.
    IdempotencyKey.objects.filter(person_id=person_id, key=key).filter(
        created_at__lt=now - KEEP_FOR
    ).delete()
    IdempotencyKey.objects.filter(
        person_id=person_id,
        key=key,
        response_status__isnull=True,
        created_at__lt=now - ABANDONED_AFTER,
    ).delete()
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                person_id=person_id, key=key, request_hash=fingerprint, created_at=now
            )
        return row, True
    except IntegrityError:
        return IdempotencyKey.objects.get(person_id=person_id, key=key), False


def _answer_for_repeat(row: IdempotencyKey, fingerprint: str) -> HttpResponse:
    if row.request_hash != fingerprint:
        return _json(
            422,
            "This Idempotency-Key was already used for a different request "
            "(another method, path or body). Use a new key for a new request.",
        )
    if row.in_progress:
        response = _json(
            409,
            "A request with this Idempotency-Key is still being processed. "
            "Send it again in a moment to get its answer.",
        )
        response["Retry-After"] = "1"
        return response
    response = HttpResponse(
        bytes(row.response_body), status=row.response_status, content_type=row.response_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyMiddleware:
    """Answer a repeated API POST with its first answer (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > IDEMPOTENCY_KEY_MAX_CHARS:
            return _json(
                400,
                f"The Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_CHARS} characters long.",
            )
        person_id = _person_id(request)
        if person_id is None:
            return self.get_response(request)  # the API answers 401 itself
        try:
            fingerprint = request_hash(request)
        except RequestDataTooBig:
            return self.get_response(request)  # refused there, with the API's own answer
        row, first = _claim(person_id, key, fingerprint)
        if not first:
            logger.info("Idempotency-Key %r of person %s repeated", key, person_id)
            return _answer_for_repeat(row, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyKey.objects.filter(pk=row.pk).delete()
            raise
        if 200 <= response.status_code < 300 and not response.streaming:
            IdempotencyKey.objects.filter(pk=row.pk).update(
                response_status=response.status_code,
                response_type=response.get("Content-Type", ""),
                response_body=response.content,
            )
        else:
            IdempotencyKey.objects.filter(pk=row.pk).delete()
        return response


def purge_expired_keys(now=None) -> int:
    """Forget keys older than 24 hours; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
