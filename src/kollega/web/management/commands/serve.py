"""`kollega serve`: the web server (gunicorn), with static files served by WhiteNoise."""

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the Kollega web server (gunicorn workers; --dev for the auto-reloading one)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KOLLEGA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="Worker processes (default: $WEB_CONCURRENCY or 2).",
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker.")
        parser.add_argument(
            "--timeout", type=int, default=30, help="Seconds before a stuck worker is restarted."
        )
        parser.add_argument(
            "--dev", action="store_true", help="Django's development server with auto-reload."
        )

    def handle(self, *args, **options):
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Kollega is starting on http://{address}/ (Ctrl+C stops it)")
        if options["dev"]:
            call_command("runserver", address)
            return
        from gunicorn.app.wsgiapp import WSGIApplication

        argv = [
            "kollega",
            "--bind", address,
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--timeout", str(options["timeout"]),
            "--graceful-timeout", "10",
            "--access-logfile", "-",
            "kollega.wsgi:application",
        ]  # fmt: skip
        # gunicorn reads its options from sys.argv when the application is built.
        sys.argv = argv
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
