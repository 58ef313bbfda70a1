"""`kollega listening poll [--source NAME]`, `listening ingest FILE... --source NAME [--json]`."""

import json as jsonlib
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kollega.listening import services
from kollega.listening.models import Source
from kollega.permissions import NotFound


class Command(BaseCommand):
    help = "Polls listening sources, or reads saved feed files into one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        poll = sub.add_parser("poll", help="poll every source now (or only --source NAME)")
        poll.add_argument("--source", help="the one source to poll")
        ingest = sub.add_parser(
            "ingest", help="read saved feed files as if fetched from --source (created if missing)"
        )
        ingest.add_argument("files", nargs="+", metavar="FILE")
        ingest.add_argument("--source", required=True, help="the source the files come from")
        ingest.add_argument("--json", action="store_true", help="one JSON object per file")

    def handle(self, *args, action, **options):
        if action == "poll":
            self.poll(options["source"])
        else:
            self.ingest(options["files"], options["source"], options["json"])

    def poll(self, name: str | None) -> None:
        if name is not None:
            try:
                sources = [services.source_named(name)]
            except NotFound as error:
                raise CommandError(str(error)) from error
        else:
            sources = list(Source.objects.all())
        bar = self._progress_bar(len(sources))
        progress = (lambda _outcome: bar.update()) if bar else None
        outcomes = services.poll_sources(sources, progress=progress)
        if bar:
            bar.close()
        for outcome in outcomes:
            if outcome.error:
                self.stdout.write(f"{outcome.source}: error: {outcome.error}")
            elif outcome.not_modified:
                self.stdout.write(f"{outcome.source}: not modified")
            else:
                self.stdout.write(f"{outcome.source}: {outcome.new} new of {outcome.read} read")

    def _progress_bar(self, total: int):
        """A progress bar on standard error when it is a terminal, else None."""
        if not sys.stderr.isatty() or total < 2:
            return None
        from tqdm import tqdm

        return tqdm(total=total, desc="Sources", unit="source", file=sys.stderr)

    def ingest(self, files: list[str], name: str, json: bool) -> None:
        try:
            source = services.feed_source(name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for file in files:
            outcome = services.ingest_file(source, Path(file))
            if json:
                self.stdout.write(jsonlib.dumps(outcome.as_dict(), ensure_ascii=False))
            elif outcome.error:
                self.stdout.write(f"{file}: error: {outcome.error}")
            else:
                self.stdout.write(f"{file}: {outcome.items} items")
