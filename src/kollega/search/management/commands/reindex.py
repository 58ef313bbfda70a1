"""`kollega reindex`: rebuild the search index from everything in the database."""

import functools
import time

from django.core.management.base import BaseCommand

from kollega.search.indexing import rebuild, tqdm_progress


class Command(BaseCommand):
    help = (
        "Rebuild the search index (people, posts, comments, questions, answers, communities, …) "
        "in one transaction, with a progress bar on standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (for logs and cron)."
        )

    def handle(self, *args, no_progress=False, **options):
        started = time.perf_counter()
        # The raw stream: Django's wrapper would end each of tqdm's redraws with a newline.
        progress = functools.partial(tqdm_progress, file=self.stderr._out)
        counts = rebuild(None if no_progress else progress)
        total = sum(counts.values())
        parts = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
        self.stdout.write(
            f"Indexed {total:,} documents in {time.perf_counter() - started:.1f} s ({parts})."
        )
