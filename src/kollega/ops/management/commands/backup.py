"""`kollega backup FILE`: a consistent copy of the database, taken while it runs."""

from django.core.management.base import BaseCommand, CommandError

from kollega.ops.backup import backup


class Command(BaseCommand):
    help = "Back up the database to FILE (SQLite's backup API, or pg_dump -Fc on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            path = backup(options["file"])
        except Exception as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size} bytes)")
