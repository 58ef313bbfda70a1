"""Reply addresses: a notification mail about one question or post can be answered by mail.

A mail about one thread (a question sent or referred to the person, an answer to
their question, a comment on their post, a mention …) carries
`Reply-To: reply+TOKEN@domain`, built from `KOLLEGA_REPLY_ADDRESS`. The token names
the recipient and the thread (the question's or the post's `Post`, and for a mail
about an answer, that answer), the day it was made, and a signature
(`django.core.signing`, salted for reply addresses, with `SECRET_KEY` and its
fallbacks). It decides who posts: a reply is posted as the
person the token names, never as whoever the `From` header claims to be
(`kollega.mail.inbound` also wants `From` to be that person's address).

The token is lower case only (letters, digits and dots), because mail servers may
change the case of an address's local part; its signature is 130 bits of
HMAC-SHA256 in base32. It works for 90 days after the mail
(`REPLY_TOKEN_MAX_DAYS` in `kollega/limits.py`).
"""

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kollega.limits import REPLY_TOKEN_MAX_DAYS

REPLY_SALT = "kollega.mail.reply"
_TOKEN = re.compile(r"^(\d+)\.(\d+)(?:\.a(\d+))?\.([0-9a-z]+)\.([a-z2-7]{26})$")


class ReplySigner(signing.Signer):
    """`django.core.signing.Signer` with a signature that survives case folding."""

    def __init__(self):
        super().__init__(sep=".", salt=REPLY_SALT, algorithm="sha256")

    def signature(self, value, key=None):
        digest = salted_hmac(self.salt + "signer", value, key or self.key, algorithm="sha256")
        return base64.b32encode(digest.digest()).decode()[:26].lower()


class ExpiredToken(signing.BadSignature):
    """A genuine reply token, too old to be used."""


@dataclass(frozen=True)
class ReplyToken:
    person_id: int
    post_id: int
    answer_id: int | None = None  # a reply comments on this answer


def _today() -> int:
    """Days since 1970-01-01 (UTC): the token's date, in hexadecimal."""
    return (timezone.now() - datetime(1970, 1, 1, tzinfo=UTC)).days


def reply_token(person_id: int, post_id: int, answer_id: int | None = None) -> str:
    """A token that lets person `person_id` answer or comment on post `post_id` by mail
    (or, with `answer_id`, comment on that answer to the question)."""
    answer = f".a{answer_id}" if answer_id else ""
    return ReplySigner().sign(f"{person_id}.{post_id}{answer}.{_today():x}")


def read_reply_token(token: str) -> ReplyToken:
    """Whom and which thread a token names; `signing.BadSignature` if this site did not
    sign it, `ExpiredToken` if it is older than `REPLY_TOKEN_MAX_DAYS`."""
    token = token.strip().lower()
    match = _TOKEN.match(token)
    if not match:
        raise signing.BadSignature("Not a reply token.")
    ReplySigner().unsign(token)
    made = int(match.group(4), 16)
    if _today() - made > REPLY_TOKEN_MAX_DAYS:
        raise ExpiredToken("The reply token has expired.")
    answer_id = int(match.group(3)) if match.group(3) else None
    return ReplyToken(int(match.group(1)), int(match.group(2)), answer_id)


def replies_enabled() -> bool:
    return "@" in settings.KOLLEGA_REPLY_ADDRESS


def reply_parts(address: str) -> tuple[str, str]:
    """The local part (a `+suffix` dropped) and the domain of a reply address setting, lower
    case; the local part is empty when the setting has none (`kollega.E102`)."""
    local, _at, domain = address.rpartition("@")
    return local.split("+", 1)[0].lower(), domain.lower()


def _reply_parts() -> tuple[str, str]:
    return reply_parts(settings.KOLLEGA_REPLY_ADDRESS)


def reply_address(person_id: int, post_id: int, answer_id: int | None = None) -> str | None:
    """`reply+TOKEN@domain` for this person and thread; None without KOLLEGA_REPLY_ADDRESS."""
    if not replies_enabled():
        return None
    local, domain = _reply_parts()
    return f"{local}+{reply_token(person_id, post_id, answer_id)}@{domain}"


def token_in(address: str) -> str | None:
    """The token of a reply address (`reply+TOKEN@domain`, any case), else None.

    Any domain is taken, so a relay that rewrites the domain still delivers; the
    local part before the `+` must be the configured one when replies are enabled.
    """
    local, _at, _domain = address.strip().strip("<>").rpartition("@")
    base, plus, token = local.partition("+")
    if not plus or not token:
        return None
    if replies_enabled() and base.lower() != _reply_parts()[0]:
        return None
    return token.lower()
