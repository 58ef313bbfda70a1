"""Answer by replying: a reply to a notification mail becomes an answer or a comment.

`receive_mail(raw)` is the one way in, called by `kollega mail receive` (an MTA's
pipe) and by `kollega mail serve` (SMTP/LMTP). For each reply address the
message came to (`reply+TOKEN@…`, `kollega.mail.replies`):

1. Auto-replies and loops are never posted and never bounced, only logged:
   `Auto-Submitted` other than `no`, `Precedence: bulk|junk|list`,
   `X-Autoreply`/`X-Autorespond`, a delivery report, an empty envelope sender
   (a bounce), or our own address as sender.
2. A message seen before (same Message-ID, or without one the same sender, date,
   subject and body, to the same reply address) is a duplicate: logged, nothing else.
3. The token decides who posts and where. It must be one this site signed and at
   most 90 days old, and the `From` address must be the person's own address
   (compared without case): a forged `From` never posts as someone else, and a
   stolen reply address is useless from another mailbox.
4. The text (quoted mail and signature stripped, HTML converted to Markdown,
   `kollega.mail.reply_text`) is posted through `qa.services.answer_question`
   (a question's thread), `qa.services.comment_on_answer` (a mail about a new
   answer) or `posts.services.comment_on_post` (any other post),
   so permissions, the share guard and the classification caps apply as on the
   page, in the person's language.

Anything that cannot be posted (an unknown, altered or expired token, another
sender, nothing left after stripping, a person no longer allowed, a thread
removed, the guard's block or warning) changes nothing saved, and gets a bounce
through the outbox (`services.queue_mail`), in the person's language when known,
and a log line. Too large or unreadable messages raise `MailRefused`: the MTA
tells the sender.
"""

import email
import email.policy
import hashlib
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.limits import BOUNCE_QUOTE_MAX_CHARS, INBOUND_MAIL_MAX_BYTES
from kollega.mail.compose import in_language_of
from kollega.mail.models import InboundMail
from kollega.mail.replies import ExpiredToken, read_reply_token, replies_enabled, token_in
from kollega.mail.reply_text import reply_text
from kollega.mail.services import queue_mail, site_url
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.posts.models import Post

logger = logging.getLogger(__name__)

BOUNCE_KIND = "bounce"

NOT_A_REPLY_ADDRESS = gettext_lazy(
    "This address only takes replies to Kollega's notification mails, and the address "
    "your mail went to is not one of them."
)
UNKNOWN_TOKEN = gettext_lazy(
    "The reply address is not one Kollega made, or it was changed on the way."
)
EXPIRED_TOKEN = gettext_lazy(
    "The reply address has expired: replies are taken for 90 days after a mail."
)
WRONG_SENDER = gettext_lazy(
    "This reply address belongs to someone else: replies are only taken from the "
    "address the notification mail was sent to."
)
EMPTY_REPLY = gettext_lazy(
    "Nothing was left to post once the quoted mail and the signature were taken out. "
    "Write your reply above the quoted mail."
)
NOT_ALLOWED = gettext_lazy(
    "You can no longer take part in this thread: it was removed, or you may no longer see it."
)


class MailRefused(Exception):
    """The message cannot be taken at all (too large, not a mail message)."""


class Bounce(Exception):
    """A reply that cannot be posted: why, and whose language to say it in."""

    def __init__(self, reason, person: Person | None = None):
        super().__init__(str(reason))
        self.reason = reason
        self.person = person


@dataclass
class Outcome:
    """What became of a message for one reply address."""

    result: str  # answer, comment, duplicate, ignored, bounced
    detail: str = ""
    object_id: int | None = None


def parse_mail(raw: bytes) -> EmailMessage:
    """The message, or `MailRefused` if it is too large or not a mail message at all."""
    if len(raw) > INBOUND_MAIL_MAX_BYTES:
        raise MailRefused(
            f"The message is too large: {len(raw)} bytes, at most {INBOUND_MAIL_MAX_BYTES}."
        )
    if not raw.strip():
        raise MailRefused("The message is empty.")
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        sender = _from(message)
    except (ValueError, TypeError, IndexError, LookupError) as error:
        raise MailRefused(f"The message cannot be read: {error}.") from error
    if "@" not in sender:
        raise MailRefused("Not a mail message: it has no sender address (From).")
    return message


def receive_mail(
    raw: bytes, *, recipients: list[str] | None = None, sender: str | None = None
) -> list[Outcome]:
    """Post the reply in `raw` for each reply address it came to; see the module's docstring.

    `recipients` are the envelope's recipients (SMTP `RCPT TO`, or what the MTA
    passes to the pipe); without them the reply addresses are taken from the
    `Delivered-To`, `X-Original-To`, `To` and `Cc` headers. `sender` is the
    envelope sender (SMTP `MAIL FROM`, "" for a bounce); without it, `Return-Path`.
    Raises `MailRefused` (too large, unreadable) and lets database errors through.
    """
    message = parse_mail(raw)
    if sender is None and message["Return-Path"] is not None:
        sender = parseaddr(str(message["Return-Path"]))[1]
    tokens = _tokens(recipients if recipients else _header_addresses(message))
    label = _label(message)
    loop = _loop(message, sender)
    if loop:
        logger.info("Inbound mail %s not posted, not bounced: %s", label, loop)
        return [Outcome("ignored", loop)]
    return [_receive_one(message, raw, token, sender, label) for token in tokens or [None]]


def _header_addresses(message: EmailMessage) -> list[str]:
    headers = []
    for name in ("Delivered-To", "X-Original-To", "To", "Cc"):
        headers += [str(value) for value in message.get_all(name, [])]
    return [address for _name, address in getaddresses(headers) if address]


def _tokens(addresses: list[str]) -> list[str]:
    tokens = []
    for address in addresses:
        token = token_in(address)
        if token and token not in tokens:
            tokens.append(token)
    return tokens


def _label(message: EmailMessage) -> str:
    return f"{str(message['Message-ID'] or '(no Message-ID)')[:200]} from {_from(message)!r}"


def _from(message: EmailMessage) -> str:
    return parseaddr(str(message["From"] or ""))[1].strip().lower()


def _own_addresses() -> set[str]:
    named = (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL, settings.KOLLEGA_REPLY_ADDRESS)
    return {parseaddr(n)[1].lower() for n in named if n} - {""}


def _loop(message: EmailMessage, sender: str | None) -> str:
    """Why the message is an auto-reply or a loop ("" when a person wrote it)."""
    auto = str(message["Auto-Submitted"] or "").strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto[:40]}"
    precedence = str(message["Precedence"] or "").strip().lower()
    if precedence in ("bulk", "junk", "list"):
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if message[header] is not None:
            return f"{header} header"
    if message.get_content_type() == "multipart/report":
        return "a delivery report"
    if sender == "":
        return "an empty envelope sender (a bounce)"
    sent_by = _from(message)
    if sent_by in _own_addresses() or replies_enabled() and token_in(sent_by) is not None:
        return f"sent by Kollega itself ({sent_by})"
    return ""


def _key(message: EmailMessage, raw: bytes, token: str | None) -> str:
    """The digest that recognises the same message to the same reply address again."""
    message_id = str(message["Message-ID"] or "").strip()
    if not message_id:
        body = raw.split(b"\r\n\r\n", 1)[-1] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[-1]
        parts = [str(message[h] or "") for h in ("From", "Date", "Subject")]
        message_id = hashlib.sha256("\n".join(parts).encode() + b"\n" + body).hexdigest()
    return hashlib.sha256(f"{message_id}\n{token or ''}".encode()).hexdigest()


def _receive_one(
    message: EmailMessage, raw: bytes, token: str | None, sender: str | None, label: str
) -> Outcome:
    with transaction.atomic():
        record, created = InboundMail.objects.get_or_create(key=_key(message, raw, token))
        if not created:
            logger.info("Inbound mail %s is a duplicate: nothing done", label)
            return Outcome("duplicate", record.outcome)
        try:
            with transaction.atomic():
                outcome = _post(message, token)
        except Bounce as bounce:
            _bounce(message, sender, bounce)
            outcome = Outcome(InboundMail.Outcome.BOUNCED, str(bounce))
            logger.warning("Inbound mail %s bounced: %s", label, bounce)
        else:
            logger.info("Inbound mail %s posted as %s %s", label, outcome.result, outcome.object_id)
        record.outcome = outcome.result
        record.save(update_fields=["outcome"])
        return outcome


def _post(message: EmailMessage, token: str | None) -> Outcome:
    """Post the reply as the token's person, or raise `Bounce`."""
    if token is None:
        raise Bounce(NOT_A_REPLY_ADDRESS, _person_with_address(_from(message)))
    try:
        parsed = read_reply_token(token)
    except ExpiredToken as error:
        raise Bounce(EXPIRED_TOKEN, _person_with_address(_from(message))) from error
    except signing.BadSignature as error:
        raise Bounce(UNKNOWN_TOKEN, _person_with_address(_from(message))) from error
    person = Person.objects.select_related("user").filter(pk=parsed.person_id).first()
    if person is None or (person.email or "").strip().lower() != _from(message):
        raise Bounce(WRONG_SENDER, _person_with_address(_from(message)) or person)
    if not person.user.is_active:
        raise Bounce(NOT_ALLOWED, person)
    text = reply_text(message)
    if not text:
        raise Bounce(EMPTY_REPLY, person)
    post = Post.objects.filter(pk=parsed.post_id).first()
    if post is None:
        raise Bounce(NOT_ALLOWED, person)
    with in_language_of(person):
        try:
            return _answer_or_comment(person, post, parsed.answer_id, text)
        except (PermissionDenied, NotFound) as error:
            raise Bounce(NOT_ALLOWED, person) from error
        except ValidationError as error:
            raise Bounce(" ".join(str(m) for m in error.messages), person) from error


def _answer_or_comment(person: Person, post: Post, answer_id: int | None, text: str) -> Outcome:
    """An answer to the post's question, a comment on the answer `answer_id`, or a
    comment on the post."""
    from kollega.posts.services import comment_on_post
    from kollega.qa.models import Answer, Question
    from kollega.qa.services import answer_question, comment_on_answer

    if answer_id is not None:
        answer = Answer.objects.filter(pk=answer_id, question__post=post).first()
        if answer is None:
            raise NotFound
        comment = comment_on_answer(person, answer, text)
        return Outcome(InboundMail.Outcome.COMMENT, "", comment.pk)
    question = Question.objects.filter(post=post).select_related("post").first()
    if question is not None:
        answer = answer_question(person, question, text)
        return Outcome(InboundMail.Outcome.ANSWER, "", answer.pk)
    comment = comment_on_post(person, post, text)
    return Outcome(InboundMail.Outcome.COMMENT, "", comment.pk)


def _person_with_address(address: str) -> Person | None:
    if not address:
        return None
    return Person.objects.select_related("user").filter(user__email__iexact=address).first()


def _bounce(message: EmailMessage, sender: str | None, bounce: Bounce) -> None:
    """Tell the sender why their reply was not posted (to the envelope sender if known)."""
    to = sender or _from(message)
    if not to:
        logger.warning("Inbound mail %s: nobody to bounce to", _label(message))
        return
    person = bounce.person
    try:
        text = reply_text(message)
    except Exception:  # a bounce never fails on the text it gives back
        text = ""
    in_language = in_language_of(person) if person is not None else _site_language()
    with in_language:
        reason = str(bounce.reason)
        original = " ".join(str(message["Subject"] or "").split())[:150]
        subject = _("Your reply was not posted: %(subject)s") % {"subject": original}
        context = {
            "reason": reason,
            "text": text[:BOUNCE_QUOTE_MAX_CHARS],
            "site_url": site_url("/"),
            "subject": subject,
        }
        body = render_to_string("mail/bounce.txt", context)
        html = render_to_string("mail/bounce.html", context)
        language = translation.get_language()
    headers = {"Auto-Submitted": "auto-replied", "Content-Language": language}
    message_id = str(message["Message-ID"] or "").strip()
    if message_id and "\n" not in message_id and "\r" not in message_id:
        headers.update({"In-Reply-To": message_id, "References": message_id})
    address_owner = person if person is not None and (person.email or "").lower() == to else None
    queue_mail(
        address_owner,
        kind=BOUNCE_KIND,
        subject=subject,
        text=body,
        html=html,
        headers=headers,
        address=to,
    )


def _site_language():
    return translation.override(settings.LANGUAGE_CODE)
