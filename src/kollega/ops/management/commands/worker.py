"""`kollega worker`: runs queued background tasks and the periodic schedule.

While it runs tasks it keeps a heartbeat in the database, and queues again the
tasks of workers that stopped beating (`kollega.ops.workers`).
"""

import logging
import os
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from kollega.ops import workers

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run background tasks queued in the database (django-tasks-db's db_worker) and "
        "enqueue the periodic jobs when they fall due. Needs KOLLEGA_TASKS_BACKEND=database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls for tasks."
        )
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=30.0,
            help="Seconds between looks for due periodic jobs.",
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="Run queued tasks only, no schedule."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=workers.HEARTBEAT_SECONDS,
            help=(
                "Seconds between heartbeats (and looks for tasks of dead workers); "
                f"a worker silent for {workers.MISSED_BEATS} heartbeats is taken for dead."
            ),
        )
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="Stop when the process that started this one is gone (`serve --with-worker`).",
        )

    def handle(self, *args, **options):
        from django.conf import settings

        from kollega.ops.schedule import run_due_jobs, sync_schedule

        if options["exit_with_parent"]:
            threading.Thread(target=self._watch_parent, args=(os.getppid(),), daemon=True).start()
        if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
            # Tasks run in the request: only the schedule needs this process.
            sync_schedule()
            self._schedule_loop(run_due_jobs, options["schedule_interval"])
            return

        if not options["no_schedule"]:
            sync_schedule()
            if options["batch"]:
                run_due_jobs()
            else:
                thread = threading.Thread(
                    target=self._schedule_loop,
                    args=(run_due_jobs, options["schedule_interval"]),
                    name="kollega-schedule",
                    daemon=True,
                )
                thread.start()
        self._run_tasks(options)

    def _run_tasks(self, options) -> None:
        worker_id = workers.new_worker_id()
        every = max(options["heartbeat"], 0.1)
        workers.register_worker(worker_id, every)
        workers.recover_abandoned_tasks()
        stopped = threading.Event()
        heartbeat = threading.Thread(
            target=self._heartbeat_loop,
            args=(worker_id, every, stopped),
            name="kollega-heartbeat",
            daemon=True,
        )
        heartbeat.start()
        worker_args = ["--interval", str(options["interval"]), "--no-reload"]
        worker_args += ["--worker-id", worker_id]
        if options["batch"]:
            worker_args.append("--batch")
        try:
            call_command("db_worker", *worker_args, verbosity=options["verbosity"])
        finally:
            stopped.set()
            heartbeat.join(timeout=30)
            close_old_connections()
            workers.unregister_worker(worker_id)

    @staticmethod
    def _heartbeat_loop(worker_id: str, every: float, stopped: threading.Event) -> None:
        while not stopped.wait(every):
            try:
                close_old_connections()
                if not workers.beat(worker_id, every):
                    # Taken for dead (paused too long): a task it was running may run twice.
                    logger.warning("Worker %s was taken for dead; registering again", worker_id)
                    workers.register_worker(worker_id, every)
                workers.recover_abandoned_tasks()
            except Exception:  # a lost connection must not stop the heartbeat for good
                logger.exception("The worker heartbeat failed; trying again")
            finally:
                close_old_connections()
        connection.close()

    @staticmethod
    def _watch_parent(parent: int) -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    @staticmethod
    def _schedule_loop(run_due_jobs, every: float) -> None:
        while True:
            try:
                close_old_connections()
                run_due_jobs()
            except Exception:  # a broken job or a lost connection must not stop the loop
                logger.exception("The periodic schedule failed; trying again")
            finally:
                close_old_connections()
            time.sleep(every)
