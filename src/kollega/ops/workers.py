"""Workers' heartbeats, and recovery of the tasks a killed worker left running.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or
FAILED when the task returns. A worker killed in between (SIGKILL, the OOM
killer, a lost machine) leaves the task RUNNING for ever: nothing else would
ever run it. So each `kollega worker` keeps a `WorkerHeartbeat` row whose
`expires_at` it moves forward every few seconds, from a thread of its own
(a long task does not stop the beat). Every worker, at start and at each beat,
looks for heartbeats that expired: their RUNNING tasks are queued again
(READY) and the dead worker's row is removed. A task that was cut off
`MAX_ATTEMPTS` times is marked FAILED instead, so a task that itself kills its
worker cannot take every worker down in turn.

Times are the database's clock (`Now()`), so workers on several machines agree
on what expired. Tasks run at least once: a task cut off after its side effect
but before it was marked done runs again, so tasks must be safe to repeat.
"""

import logging
import os
import socket
from datetime import timedelta

from django.db import OperationalError, connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from kollega.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker beats every HEARTBEAT_SECONDS; it is taken for dead after MISSED_BEATS missed beats.
HEARTBEAT_SECONDS = 10.0
MISSED_BEATS = 3
MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers were killed MAX_ATTEMPTS times."""


def new_worker_id() -> str:
    """A worker id unique across machines (django-tasks-db allows 64 characters)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def _expiry(every: float):
    return ExpressionWrapper(
        Now() + timedelta(seconds=every * MISSED_BEATS), output_field=DateTimeField()
    )


def register_worker(worker_id: str, every: float = HEARTBEAT_SECONDS) -> None:
    """Record a starting worker, alive for MISSED_BEATS beats of `every` seconds."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": timezone.now(),
            "expires_at": _expiry(every),
        },
    )


def beat(worker_id: str, every: float = HEARTBEAT_SECONDS) -> bool:
    """Keep a worker alive; False if its row was gone (others took it for dead)."""
    return bool(
        WorkerHeartbeat.objects.filter(worker_id=worker_id).update(expires_at=_expiry(every))
    )


def unregister_worker(worker_id: str) -> None:
    """Forget a worker that stops cleanly."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_abandoned_tasks() -> dict[str, list[str]]:
    """Queue again every task left RUNNING by a worker whose heartbeat expired.

    Returns the ids of the tasks queued again ("requeued") and of those given up
    after MAX_ATTEMPTS cut-off runs ("failed"). Each change is a compare-and-set
    on the task's status and start time, so of several workers recovering at
    once only one changes a task, and a task claimed again meanwhile is left alone.
    If SQLite stays locked past its busy timeout, this round recovers nothing.
    """
    try:
        return _recover()
    except OperationalError as error:
        if not is_locked_database_exception(error):
            raise
        return {"requeued": [], "failed": []}


def _recover() -> dict[str, list[str]]:
    recovered: dict[str, list[str]] = {"requeued": [], "failed": []}
    with transaction.atomic():
        dead = WorkerHeartbeat.objects.filter(expires_at__lt=Now())
        if connection.features.has_select_for_update_skip_locked:
            dead = dead.select_for_update(skip_locked=True)
        dead_ids = set(dead.values_list("worker_id", flat=True))
        if not dead_ids:
            return recovered
        running = DBTaskResult.objects.running().only("pk", "worker_ids", "started_at")
        for result in running:
            if not result.worker_ids or result.worker_ids[-1] not in dead_ids:
                continue
            same_claim = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            )
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                changed = same_claim.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    return_value=None,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=(
                        f"{WorkerLost.__qualname__}: the worker running this task was killed "
                        f"{len(result.worker_ids)} times; it is not queued again.\n"
                    ),
                )
                key = "failed"
            else:
                changed = same_claim.update(status=TaskResultStatus.READY, started_at=None)
                key = "requeued"
            if changed:
                recovered[key].append(str(result.pk))
        WorkerHeartbeat.objects.filter(worker_id__in=dead_ids).delete()
    if recovered["requeued"] or recovered["failed"]:
        logger.warning(
            "Workers %s stopped beating: tasks queued again %s, given up %s",
            ", ".join(sorted(dead_ids)),
            recovered["requeued"],
            recovered["failed"],
        )
    return recovered
