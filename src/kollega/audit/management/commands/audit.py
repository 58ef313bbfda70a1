"""`kollega audit verify` checks the audit trail's hash chain; `kollega audit purge`
deletes entries older than KOLLEGA_AUDIT_RETENTION_DAYS (docs/audit.md)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kollega.audit import chain, services
from kollega.audit.models import Entry


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or purge entries past the retention period."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("verify", help="Check every entry's hash; exit 1 at the first bad one.")
        actions.add_parser(
            "purge", help="Delete entries older than KOLLEGA_AUDIT_RETENTION_DAYS (0: none)."
        )

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")()

    def _verify(self):
        total = Entry.objects.count()
        shown = self.stderr.isatty()
        result = None
        with tqdm(total=total, unit=" entries", file=self.stderr, disable=not shown) as bar:
            for count, result in chain.walk():
                bar.update(count - bar.n)
                if result is not None:
                    break
        if result is None or not result.ok:
            broken = result.broken if result is not None else "?"
            reason = result.reason if result is not None else "unknown"
            raise CommandError(
                f"The audit trail is broken at entry {broken}: {reason} "
                f"({result.count if result else 0} entries before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"{result.count} entries: OK"))

    def _purge(self):
        days = services.retention_days()
        if days <= 0:
            self.stdout.write("KOLLEGA_AUDIT_RETENTION_DAYS is 0: entries are kept forever.")
            return
        try:
            deleted = services.purge_old_entries()
        except chain.ChainBroken as error:
            raise CommandError(f"{error}. Nothing was purged.") from error
        self.stdout.write(self.style.SUCCESS(f"{deleted} entries older than {days} days purged."))
