"""`kollega mail`: outbound mail for the operator (how it goes, and what is failing), and
replies coming in (`receive` for an MTA's pipe, `serve` as an SMTP/LMTP listener).

`kollega mail receive` exits with 0 when the message was handled (posted, bounced
to its sender, or ignored as an auto-reply or a duplicate), 65 (EX_DATAERR) when
it is too large or not a mail message, and 75 (EX_TEMPFAIL) when the database
cannot be reached, so the MTA keeps the message and tries again.
"""

import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.timezone import localtime

from kollega.limits import INBOUND_MAIL_MAX_BYTES
from kollega.mail import inbound, services

EX_DATAERR = 65
EX_TEMPFAIL = 75

STAMP = "%Y-%m-%d %H:%M"
SHOWN = 50


class Command(BaseCommand):
    help = (
        "Mail: `status` counts the deliveries and lists the failing ones; `receive` posts "
        "the reply on standard input; `serve` listens for replies over SMTP or LMTP."
    )
    # call_command(..., stdin=BytesIO(...)) gives `receive` its message in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        status = actions.add_parser(
            "status",
            help="Deliveries per status, then each failing one: retried, given up, or "
            "skipped (no usable address), with its error.",
        )
        status.add_argument(
            "--all", action="store_true", help=f"List every failing delivery (not only {SHOWN})."
        )
        receive = actions.add_parser(
            "receive",
            help="Read one mail message (RFC 5322) on standard input and post it as an answer "
            "or a comment, or bounce it. Exit 0: handled; 65: too large or not a mail; "
            "75: database unavailable, try again.",
        )
        receive.add_argument(
            "--sender", help="The envelope sender (Postfix: ${sender}); else Return-Path."
        )
        receive.add_argument(
            "--recipient",
            action="append",
            help="An envelope recipient (Postfix: ${original_recipient}); may repeat. "
            "Else the Delivered-To, X-Original-To, To and Cc headers.",
        )
        serve = actions.add_parser(
            "serve", help="Listen for replies over SMTP (or LMTP with --lmtp) until stopped."
        )
        serve.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        serve.add_argument("--port", type=int, default=8025, help="Port to listen on.")
        serve.add_argument("--lmtp", action="store_true", help="Speak LMTP instead of SMTP.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _status(self, all=False, **options):
        report = services.mail_status()
        self.stdout.write(
            "  ".join(f"{status}: {count}" for status, count in report["counts"].items())
        )
        failing = report["failing"]
        total = failing.count()
        if not total:
            self.stdout.write("Nothing is failing.")
            return
        self.stdout.write(f"Failing ({total}):")
        for delivery in failing if all else failing[:SHOWN]:
            who = (
                delivery.recipient.user.username
                if delivery.recipient
                else "(a sender)"
                if delivery.kind == inbound.BOUNCE_KIND
                else "(erased)"
            )
            when = (
                f"next attempt {localtime(delivery.next_attempt_at):{STAMP}}"
                if delivery.next_attempt_at
                else "no more attempts"
            )
            self.stdout.write(
                f"  #{delivery.pk} {delivery.status} {who} <{delivery.address or '-'}> "
                f"{delivery.kind}, {delivery.attempts} attempt(s), {when}: {delivery.last_error}"
            )
        if total > SHOWN and not all:
            self.stdout.write(f"  … and {total - SHOWN} more (--all lists them).")

    def _receive(self, sender=None, recipient=None, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read(INBOUND_MAIL_MAX_BYTES + 1)
        try:
            outcomes = inbound.receive_mail(raw, recipients=recipient, sender=sender)
        except inbound.MailRefused as error:
            raise CommandError(str(error), returncode=EX_DATAERR) from error
        except DatabaseError as error:
            raise CommandError(
                f"The database cannot be reached ({error}); try again later.",
                returncode=EX_TEMPFAIL,
            ) from error
        for outcome in outcomes:
            done = f"{outcome.result} {outcome.object_id}" if outcome.object_id else outcome.result
            self.stdout.write(f"{done}: {outcome.detail}" if outcome.detail else done)

    def _serve(self, host="127.0.0.1", port=8025, lmtp=False, **options):
        from kollega.mail.listener import start_listener

        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        listener = start_listener(host, port, lmtp)
        self.stdout.write(f"Taking replies over {'LMTP' if lmtp else 'SMTP'} on {host}:{port}.")
        try:
            while not stop.wait(1):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            listener.stop()
