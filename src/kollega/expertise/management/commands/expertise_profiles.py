"""`kollega expertise_profiles`: rebuild every expertise profile (see `expertise.profiles`)."""

import functools
import time

from django.core.management.base import BaseCommand

from kollega.expertise.profiles import rebuild, tqdm_progress


class Command(BaseCommand):
    help = (
        "Rebuild the expertise profiles that pick the candidates of 'who knows about X?' "
        "(after an upgrade, or if the worker was down long), in one transaction, "
        "with a progress bar on standard error."
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
        self.stdout.write(
            f"Built the profiles of {counts['people']:,} people ({counts['terms']:,} terms) "
            f"in {time.perf_counter() - started:.1f} s."
        )
