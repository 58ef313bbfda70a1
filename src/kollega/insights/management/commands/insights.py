"""`kollega insights rollup [--rebuild]`: bring the insights rollups up to now."""

import sys

from django.core.management.base import BaseCommand

from kollega.insights import services


class Command(BaseCommand):
    help = "Refreshes the rollups some insights panels read (the worker does it every 5 minutes)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rollup = sub.add_parser("rollup", help="refresh the rollups now")
        rollup.add_argument(
            "--rebuild",
            action="store_true",
            help="recompute every day (after an import that wrote into the past)",
        )

    def handle(self, *args, action, rebuild, **options):
        from tqdm import tqdm

        with tqdm(
            file=sys.stderr, disable=not sys.stderr.isatty(), unit="day", desc="Rolling up"
        ) as bar:
            days = services.refresh_rollups(rebuild=rebuild, progress=bar.update)
        for key, n in days.items():
            self.stdout.write(f"{key}: {n} days rolled up")
