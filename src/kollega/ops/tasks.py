"""Background tasks of operations.

The periodic schedule (`kollega.ops.schedule`) runs the housekeeping ones;
`probe` is a harmless task that shows a worker runs tasks, and runs them again
after a crash.
"""

import time
from datetime import timedelta

from django.core import management
from django.utils import timezone
from django_tasks import TaskContext, task


@task()
def clear_expired_sessions() -> None:
    """Delete expired sign-in sessions (Django's `clearsessions`)."""
    management.call_command("clearsessions")


@task()
def prune_task_results(days: int = 14) -> int:
    """Forget finished background-task results older than `days`."""
    from django_tasks_db.models import DBTaskResult

    from kollega.ops.models import ProbeRun

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    ProbeRun.objects.filter(started_at__lt=cutoff).delete()
    return deleted


@task(takes_context=True)
def probe(context: TaskContext, label: str, seconds: float = 0.0) -> int:
    """Record a run under `label`, wait `seconds`, and mark the run finished.

    Touches nothing but its own table (`ops_proberun`), so it is safe to enqueue
    in production to see that `kollega worker` runs tasks. The run is saved as
    it starts: a worker killed during the wait leaves it unfinished, and the
    retry after recovery shows as a second run. Returns the attempt number.
    """
    from kollega.ops.models import ProbeRun

    worker_ids = context.task_result.worker_ids
    run = ProbeRun.objects.create(
        label=label[:100],
        worker_id=worker_ids[-1] if worker_ids else "",
        attempt=context.attempt,
    )
    time.sleep(max(0.0, min(seconds, 3600.0)))
    ProbeRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return context.attempt
