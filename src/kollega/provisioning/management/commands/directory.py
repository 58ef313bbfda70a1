"""`kollega directory sync` (LDAP / Active Directory) and `kollega directory import FILE.csv`."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kollega.limits import CSV_IMPORT_MAX_BYTES
from kollega.provisioning.services import csv_import, ldap_sync


class Command(BaseCommand):
    help = "Bring people in from the company directory: LDAP / Active Directory, or a CSV file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "sync", help="Read people from KOLLEGA_LDAP_URL; deactivate those who left."
        )
        load = actions.add_parser("import", help="Import people from FILE (UTF-8 CSV, header row).")
        load.add_argument("file")
        load.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, action, **options):
        if action == "sync":
            try:
                with tqdm(unit=" entries", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
                    report = ldap_sync.sync_directory(progress=bar.update)
            except ldap_sync.SyncFailed as error:
                raise CommandError(str(error)) from None
            self._summary(report, f"{len(report.deactivated)} deactivated")
            for username in report.deactivated:
                self.stdout.write(f"deactivated: {username}")
        else:
            self._import(options["file"], options["dry_run"])

    def _import(self, file: str, dry_run: bool):
        path = Path(file)
        try:
            if path.stat().st_size > CSV_IMPORT_MAX_BYTES:
                raise CommandError(f"{file} is larger than {CSV_IMPORT_MAX_BYTES} bytes.")
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{file} cannot be read: {error.strerror}.") from None
        try:
            with tqdm(unit=" lines", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
                report = csv_import.import_people(content, dry_run=dry_run, progress=bar.update)
        except csv_import.UnusableFile as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        self._summary(report, "dry run: nothing was changed" if dry_run else "")

    def _summary(self, report, extra: str):
        for username in report.created:
            self.stdout.write(f"created: {username}")
        for change in report.changed:
            self.stdout.write(f"changed: {change}")
        for error in report.errors:
            self.stderr.write(self.style.ERROR(error))
        parts = [f"{len(report.created)} created", f"{len(report.changed)} changed",
                 f"{report.unchanged} unchanged", f"{len(report.errors)} errors"]  # fmt: skip
        self.stdout.write(", ".join(parts + ([extra] if extra else [])) + ".")
        if report.errors:
            raise SystemExit(1)
