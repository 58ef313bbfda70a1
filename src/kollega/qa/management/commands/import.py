"""`kollega import stackexchange DIR`: bring content from elsewhere into Kollega."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kollega.qa.importers.stackexchange import FILES, import_stackexchange


class Command(BaseCommand):
    help = "Import content from another system (idempotent: a second run adds nothing)."

    def add_arguments(self, parser):
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        se = sources.add_parser(
            "stackexchange",
            help="A Stack Exchange data dump: " + ", ".join(FILES) + ".",
            description=(
                "Import a Stack Exchange data dump folder: its authors become people "
                "(se-SITE-ID), questions, answers and comments keep their dates, tags, accepted "
                "answer, votes and a link to the source. Rows that cannot be read are reported "
                "with file and line; the rest is imported."
            ),
        )
        se.add_argument("folder", metavar="DIR", type=Path, help="The folder with the XML files.")
        se.add_argument(
            "--site",
            help="The site's name, as in https://SITE.stackexchange.com "
            "(default: the folder name without 'stackexchange-').",
        )
        se.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, source, **options):
        try:
            report = import_stackexchange(
                options["folder"], options["site"], progress=not options["no_progress"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for problem in report.problems:
            self.stderr.write(str(problem))
        created = ", ".join(
            f"{report.created.get(kind, 0)} {kind}"
            for kind in ("people", "questions", "answers", "comments")
        )
        self.stdout.write(f"Imported {created}; {len(report.problems)} rows could not be read.")
