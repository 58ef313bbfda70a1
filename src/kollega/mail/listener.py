"""`kollega mail serve`: a small SMTP or LMTP listener (aiosmtpd) for replies.

It takes only reply addresses (`reply+TOKEN@…`; any other recipient is refused
with 550 at `RCPT TO`) and messages up to `INBOUND_MAIL_MAX_BYTES` (552 above),
and hands each message to `inbound.receive_mail`, the service `kollega mail
receive` calls too. Answers: 250 when the reply was posted, bounced, ignored as
an auto-reply or seen before; 554 for a message that is not a mail; 451 (try
again later) when the database cannot be reached. Over LMTP each recipient gets
its line.
"""

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from asgiref.sync import sync_to_async
from django.db import DatabaseError, close_old_connections

from kollega.limits import INBOUND_MAIL_MAX_BYTES
from kollega.mail import inbound
from kollega.mail.replies import token_in


def _receive(raw: bytes, recipients: list[str], sender: str) -> None:
    close_old_connections()
    try:
        inbound.receive_mail(raw, recipients=recipients, sender=sender)
    finally:
        close_old_connections()


class ReplyHandler:
    """aiosmtpd's handler: reply addresses in, each message to the inbound service."""

    def __init__(self, lmtp: bool = False):
        self.lmtp = lmtp

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if token_in(address) is None:
            return "550 5.1.1 Not a reply address"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        sender = "" if envelope.mail_from in (None, "", "<>") else envelope.mail_from
        try:
            await sync_to_async(_receive, thread_sensitive=True)(
                raw, list(envelope.rcpt_tos), sender
            )
            status = "250 2.0.0 Message accepted"
        except inbound.MailRefused as error:
            status = f"554 5.6.0 {error}"
        except DatabaseError:
            status = "451 4.3.0 Kollega cannot store the message now; try again later"
        if self.lmtp:
            return "\r\n".join([status] * max(len(envelope.rcpt_tos), 1))
        return status


class ReplyController(Controller):
    """aiosmtpd's threaded controller speaking SMTP, or LMTP with `lmtp=True`."""

    def __init__(self, host: str, port: int, lmtp: bool = False):
        self.lmtp = lmtp
        super().__init__(
            ReplyHandler(lmtp),
            hostname=host,
            port=port,
            data_size_limit=INBOUND_MAIL_MAX_BYTES,
            enable_SMTPUTF8=True,
        )

    def factory(self):
        return (LMTP if self.lmtp else SMTP)(self.handler, **self.SMTP_kwargs)


def start_listener(host: str, port: int, lmtp: bool = False) -> ReplyController:
    """Listen on `host`:`port` in a background thread; `.stop()` ends it."""
    controller = ReplyController(host, port, lmtp)
    controller.start()
    return controller
