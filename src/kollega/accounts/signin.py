"""Signing in with a password, throttled against guessing.

Every failed sign-in is recorded (`SignInAttempt`) and logged (logger
`kollega.security`). Failures within `WINDOW` count towards a pause:

- per account: from the `ACCOUNT_LIMIT`th failure for one user name (whether or
  not the account exists), further attempts are refused for `FIRST_PAUSE`,
  doubling with each further failure up to `LONGEST_PAUSE`;
- per address: the same from the `ADDRESS_LIMIT`th failure from one address,
  across user names (one machine trying many accounts).

A refused attempt checks no password; it is recorded and logged too. A
successful sign-in clears the account's count.

No lock-out is permanent, and an attacker cannot keep a person out: every
pause ends on its own, and a browser that has signed in to the account before
(a signed cookie, `KNOWN_BROWSER_DAYS` days) may still sign in to it with the
right password during the account's pause, unless its address is itself
paused. Someone elsewhere guessing the password meets the pause; the person
at their own browser does not.

The rules hold across server processes and both database engines: the counts
are read from the database, not kept in memory.
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from kollega.accounts.clients import client_address, client_browser
from kollega.accounts.models import SignInAttempt

logger = logging.getLogger("kollega.security")

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(hours=1)
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(minutes=15)
KNOWN_BROWSER_COOKIE = "kollega_known"
KNOWN_BROWSER_DAYS = 90
_KNOWN_BROWSER_SALT = "kollega.accounts.known-browser"


@dataclass
class SignInRefused(Exception):
    """Too many failed sign-ins: no password is checked until `until`."""

    until: datetime
    reason: str  # "account" or "address"

    @property
    def minutes(self) -> int:
        seconds = (self.until - timezone.now()).total_seconds()
        return max(1, math.ceil(seconds / 60))

    @property
    def message(self) -> str:
        return ngettext(
            "Too many failed sign-ins; try again in %(minutes)d minute.",
            "Too many failed sign-ins; try again in %(minutes)d minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}


class PasswordsOff(Exception):
    """Local passwords are off (KOLLEGA_LOCAL_PASSWORDS) and this is no break-glass account."""

    def __str__(self) -> str:
        return gettext("Sign-in with a password is switched off. Please use the company sign-in.")


def may_use_password(username: str) -> bool:
    """True if `username` may sign in with a password here.

    Everyone may while KOLLEGA_LOCAL_PASSWORDS is on; when it is off, only the
    break-glass administrators named in KOLLEGA_BREAK_GLASS_USERS.
    """
    return settings.KOLLEGA_LOCAL_PASSWORDS or (
        normal_username(username) in settings.KOLLEGA_BREAK_GLASS_USERS
    )


def normal_username(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _paused_until(failures, limit: int, now: datetime) -> datetime | None:
    """The end of the pause these failures earn, if it lies in the future."""
    recent = failures.filter(at__gte=now - WINDOW)
    count = recent.count()
    if count < limit:
        return None
    doublings = min(count - limit, 10)
    pause = min(FIRST_PAUSE * 2**doublings, LONGEST_PAUSE)
    until = recent.aggregate(last=Max("at"))["last"] + pause
    return until if until > now else None


def pause_for(username: str, address: str | None, *, known_browser: bool = False, now=None):
    """The pause that refuses this attempt now, or None.

    A browser known to the account is held by its address's pause only.
    """
    now = now or timezone.now()
    counted = SignInAttempt.objects.filter(outcome=SignInAttempt.Outcome.FAILED, counts=True)
    if address is not None:
        until = _paused_until(counted.filter(address=address), ADDRESS_LIMIT, now)
        if until is not None:
            return SignInRefused(until, "address")
    if not known_browser:
        until = _paused_until(counted.filter(username=username), ACCOUNT_LIMIT, now)
        if until is not None:
            return SignInRefused(until, "account")
    return None


def _record(request, username: str, outcome: str) -> SignInAttempt:
    return SignInAttempt.objects.create(
        username=username,
        address=client_address(request) if request is not None else None,
        browser=client_browser(request) if request is not None else "",
        at=timezone.now(),
        outcome=outcome,
    )


def sign_in_with_password(request, username: str, check_password):
    """The account `check_password()` returns for this attempt, unless throttled.

    Two-step sign-in's codes go through here too (`check_password` then checks
    the code), so wrong codes count towards the same pauses as wrong passwords.

    `check_password` runs the actual password check (Django's backend) and
    returns the user or None. Raises `PasswordsOff`, checking nothing, if
    `may_use_password` says no; `SignInRefused` while a pause holds,
    without checking the password; records and logs every failure and refusal.
    """
    username = normal_username(username)
    address = client_address(request) if request is not None else None
    if not may_use_password(username):
        logger.warning(
            "password sign-in refused for %r from %s: local passwords are off", username, address
        )
        raise PasswordsOff()
    refused = pause_for(username, address, known_browser=is_known_browser(request, username))
    if refused is not None:
        attempt = _record(request, username, SignInAttempt.Outcome.REFUSED)
        logger.warning(
            "sign-in refused for %r from %s: too many failures (%s), paused until %s",
            username,
            attempt.address,
            refused.reason,
            refused.until.isoformat(),
        )
        raise refused
    user = check_password()
    if user is None:
        attempt = _record(request, username, SignInAttempt.Outcome.FAILED)
        logger.warning("sign-in failed for %r from %s", username, attempt.address)
        return None
    clear_failures(username)
    return user


def clear_failures(username: str) -> int:
    """Forget the account's failures for throttling (they stay on record)."""
    return SignInAttempt.objects.filter(
        username=normal_username(username), outcome=SignInAttempt.Outcome.FAILED, counts=True
    ).update(counts=False)


def is_known_browser(request, username: str) -> bool:
    """True if this browser carries our signed note that it signed in as `username`."""
    if request is None:
        return False
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not value:
        return False
    try:
        known = signing.loads(
            value, salt=_KNOWN_BROWSER_SALT, max_age=timedelta(days=KNOWN_BROWSER_DAYS)
        )
    except signing.BadSignature:
        return False
    return normal_username(username) in known


def remember_browser(request, response, username: str) -> None:
    """Note on `response` that this browser signed in as `username` (see the module)."""
    known = []
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if value:
        try:
            known = signing.loads(
                value, salt=_KNOWN_BROWSER_SALT, max_age=timedelta(days=KNOWN_BROWSER_DAYS)
            )
        except signing.BadSignature:
            known = []
    name = normal_username(username)
    known = [name] + [other for other in known if other != name][:4]
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps(known, salt=_KNOWN_BROWSER_SALT),
        max_age=KNOWN_BROWSER_DAYS * 24 * 3600,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        samesite="Lax",
    )


def purge_old_attempts(days: int = 90, now=None) -> int:
    """Forget sign-in attempts older than `days`; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = SignInAttempt.objects.filter(at__lt=cutoff).delete()
    return deleted
