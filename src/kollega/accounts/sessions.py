"""Where a person is signed in, and signing those sessions out.

A session is recorded when a person signs in (`record_sign_in`, on Django's
`user_logged_in`), refreshed at most once a minute while used
(`note_session_seen`, from `SessionSeenMiddleware`) and forgotten when it
signs out. Signing a session out deletes Django's session itself, so the
browser holding it is signed out at its next request.
"""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from kollega.accounts.clients import client_address, client_browser
from kollega.accounts.models import SignedInSession
from kollega.people.models import Person

SEEN_EVERY = timedelta(minutes=1)
_SEEN_KEY = "kollega_session_seen"


def _session_store(request):
    session = getattr(request, "session", None)
    return session if session is not None and session.session_key else None


def record_sign_in(request, person: Person) -> SignedInSession | None:
    """Record the session `request` just signed in with, and from where."""
    session = _session_store(request)
    if session is None:
        return None
    now = timezone.now()
    session[_SEEN_KEY] = now.timestamp()
    return _record(request, session, person, now)


def note_session_seen(request, person: Person) -> bool:
    """Refresh the session's "last seen" and address, at most once per `SEEN_EVERY`.

    The time of the last note is kept in the session itself, so a request that
    needs no note reads and writes nothing. True if written.
    """
    session = _session_store(request)
    if session is None:
        return False
    now = timezone.now()
    noted = session.get(_SEEN_KEY)
    if noted is not None and now.timestamp() - noted < SEEN_EVERY.total_seconds():
        return False
    session[_SEEN_KEY] = now.timestamp()
    updated = SignedInSession.objects.filter(session_key=session.session_key, person=person).update(
        last_seen_at=now, address=client_address(request)
    )
    if not updated:
        # Signed in before sessions were recorded: record it from now on.
        _record(request, session, person, now)
    return True


def forget_session(session_key: str | None) -> None:
    """Forget a session that signed out."""
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


def sessions_of(person: Person):
    """`person`'s sessions still signed in, most recently seen first."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignedInSession.objects.filter(person=person, session_key__in=live)


@transaction.atomic
def sign_out_session(person: Person, session_id: int) -> SignedInSession | None:
    """Sign out one of `person`'s sessions; None if they have no such session."""
    row = SignedInSession.objects.filter(person=person, pk=session_id).first()
    if row is not None:
        Session.objects.filter(session_key=row.session_key).delete()
        row.delete()
    return row


@transaction.atomic
def sign_out_other_sessions(person: Person, current_key: str | None) -> int:
    """Sign out every session of `person` but the one with `current_key`; how many."""
    others = SignedInSession.objects.filter(person=person).exclude(session_key=current_key or "")
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    return len(keys)


def forget_ended_sessions() -> int:
    """Forget recorded sessions whose Django session expired or was deleted."""
    live = Session.objects.values("session_key")
    deleted, _ = SignedInSession.objects.exclude(session_key__in=live).delete()
    return deleted


def _record(request, session, person: Person, now) -> SignedInSession:
    """The session's row, as if it had signed in `now` from this request's address."""
    row, _ = SignedInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "person": person,
            "signed_in_at": now,
            "last_seen_at": now,
            "address": client_address(request),
            "browser": client_browser(request),
        },
    )
    return row
