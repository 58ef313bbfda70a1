"""`kollega serve`: the web server (gunicorn), with static files served by WhiteNoise.

With DEBUG off, static files are collected into STATIC_ROOT first (hashed names,
gzip and brotli copies made once), so WhiteNoise serves them with far-future
cache headers. `--with-worker` also starts `kollega worker` for background tasks
and the periodic schedule, and stops it when the server stops.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def collected_static() -> bool:
    """True when static files are served hashed from the manifest `collectstatic` writes."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    return isinstance(staticfiles_storage, ManifestFilesMixin)


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
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("KOLLEGA_THREADS", "4")),
            help="Threads per worker (default: $KOLLEGA_THREADS or 4).",
        )
        parser.add_argument(
            "--timeout", type=int, default=30, help="Seconds before a stuck worker is restarted."
        )
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=int(os.environ.get("KOLLEGA_KEEP_ALIVE", "0")),
            help="Seconds an idle client connection is kept open (default: $KOLLEGA_KEEP_ALIVE "
            "or 0: closed after each response, so the next request goes to an idle worker).",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run `kollega worker` (background tasks and the periodic schedule).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Do not collect static files at start (they were collected at deploy time).",
        )
        parser.add_argument(
            "--dev", action="store_true", help="Django's development server with auto-reload."
        )

    def handle(self, *args, **options):
        address = f"{options['host']}:{options['port']}"
        if collected_static() and not options["no_collectstatic"] and not options["dev"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = self._start_worker() if options["with_worker"] else None
        self.stdout.write(f"Kollega is starting on http://{address}/ (Ctrl+C stops it)")
        try:
            if options["dev"]:
                call_command("runserver", address)
            else:
                self._gunicorn(address, options)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _start_worker(self) -> subprocess.Popen:
        backend = settings.TASKS["default"]["BACKEND"]
        if "django_tasks_db" not in backend:
            self.stderr.write(
                "Note: tasks run in the request (KOLLEGA_TASKS_BACKEND is not 'database'); "
                "the worker runs the periodic schedule only."
            )
        command = [sys.executable, "-m", "kollega", "worker", "--exit-with-parent"]
        return subprocess.Popen(command, stdin=subprocess.DEVNULL)

    def _gunicorn(self, address: str, options: dict) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        argv = [
            "kollega",
            "--bind", address,
            "--workers", str(options["workers"]),
            "--worker-class", "gthread",
            "--threads", str(options["threads"]),
            "--timeout", str(options["timeout"]),
            "--graceful-timeout", "10",
            # A gthread worker keeps every request of a connection it accepted, and one worker
            # took most connections while the others idled (64-77 % of the requests of 50
            # colleagues in bench/load.py, all behind one GIL). Closing after each response
            # lets whichever worker is free accept the next request.
            "--keep-alive", str(options["keep_alive"]),
            # A worker is replaced now and then, so a slow leak never grows for long.
            "--max-requests", "5000",
            "--max-requests-jitter", "500",
        ]  # fmt: skip
        access_log = os.environ.get("KOLLEGA_ACCESS_LOG", "-")
        if access_log.lower() not in {"", "none", "off"}:
            argv += ["--access-logfile", access_log]
        argv.append("kollega.wsgi:application")
        # gunicorn reads its options from sys.argv when the application is built.
        sys.argv = argv
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
