"""Helpers for the answer-by-reply tests: real notification mails out, real replies in."""

import io
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from kollega.mail.tasks import send_mail
from kollega.notifications.models import MAIL_BURST_WINDOW, Notification

REPLY_ADDRESS = "reply@intranet.example.com"


def burst_ends() -> None:
    """The burst window of every waiting notification has passed; the minute's job runs."""
    Notification.objects.filter(mail_due_at__isnull=False).update(
        mail_due_at=F("mail_due_at") - MAIL_BURST_WINDOW
    )
    send_mail.enqueue()


def reply(
    mail: EmailMessage | None,
    text: str | None,
    *,
    sender: str,
    to: str | None = None,
    html: str | None = None,
    headers: dict | None = None,
    message_id: bool = True,
) -> bytes:
    """A reply as a mail client writes it: the new text above the quoted mail."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to or mail["Reply-To"].strip()
    message["Subject"] = "Re: " + (mail["Subject"].strip() if mail else "Kollega")
    message["Date"] = format_datetime(timezone.now())
    if message_id:
        message["Message-ID"] = make_msgid(domain="example.org")
    if mail is not None and mail["Message-ID"]:
        message["In-Reply-To"] = mail["Message-ID"]
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        quoted = ""
        if mail is not None:
            original = mail.get_body(preferencelist=("plain",)).get_content()
            quoted = (
                "\n\nOn Mon, 7 Dec 2026 at 10:02, Kollega <kollega@intranet.example.com>\nwrote:\n"
            )
            quoted += "".join(f"> {line}\n" for line in original.splitlines())
        message.set_content(text + quoted)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return bytes(message)


def receive(raw: bytes, *args: str) -> str:
    """`kollega mail receive` with `raw` on standard input; what it printed."""
    out = io.StringIO()
    call_command("mail", "receive", *args, stdin=io.BytesIO(raw), stdout=out)
    return out.getvalue()
