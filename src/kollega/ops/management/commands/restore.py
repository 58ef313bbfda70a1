"""`kollega restore FILE`: replace the database's contents with a backup."""

from django.core.management.base import BaseCommand, CommandError

from kollega.ops.backup import restore


class Command(BaseCommand):
    help = "Restore the database from a FILE made by `kollega backup` (replaces everything)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )  # fmt: skip

    def handle(self, *args, **options):
        if options["interactive"]:
            answer = input("This replaces every row in the database. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(options["file"])
        except Exception as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(f"Restored from {options['file']}")
