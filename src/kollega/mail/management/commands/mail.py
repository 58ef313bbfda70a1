"""`kollega mail`: outbound mail for the operator (how it goes, and what is failing)."""

from django.core.management.base import BaseCommand
from django.utils.timezone import localtime

from kollega.mail import services

STAMP = "%Y-%m-%d %H:%M"
SHOWN = 50


class Command(BaseCommand):
    help = "Outbound mail: `status` counts the deliveries and lists the failing ones."

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
            who = delivery.recipient.user.username if delivery.recipient else "(erased)"
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
