"""Heartbeats and the recovery of tasks left running by a dead worker (kollega.ops.workers)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kollega.ops import workers
from kollega.ops.models import ProbeRun, WorkerHeartbeat

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def running_task(*worker_ids: str) -> DBTaskResult:
    """A probe task as a worker leaves it once it claimed it."""
    return DBTaskResult.objects.create(
        task_path="kollega.ops.tasks.probe",
        args_kwargs={"args": [], "kwargs": {"label": "t"}},
        backend_name="default",
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now(),
        worker_ids=list(worker_ids),
    )


def expire(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def status(task: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=task.pk).status


def test_the_task_of_a_dead_worker_is_queued_again():
    workers.register_worker("dead")
    task = running_task("dead")
    expire("dead")
    assert workers.recover_abandoned_tasks() == {"requeued": [str(task.pk)], "failed": []}
    assert status(task) == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # a worker will claim it
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()
    assert workers.recover_abandoned_tasks() == {"requeued": [], "failed": []}


def test_a_live_worker_keeps_its_task_however_long_it_runs():
    workers.register_worker("alive", every=60)
    task = running_task("alive")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(hours=2))
    assert workers.recover_abandoned_tasks() == {"requeued": [], "failed": []}
    assert status(task) == TaskResultStatus.RUNNING


def test_a_beat_keeps_a_worker_alive():
    workers.register_worker("w", every=0.01)
    expire("w")
    assert workers.beat("w", every=60)
    task = running_task("w")
    assert workers.recover_abandoned_tasks()["requeued"] == []
    assert status(task) == TaskResultStatus.RUNNING
    # A worker that was taken for dead learns so at its next beat.
    workers.unregister_worker("w")
    assert not workers.beat("w")


def test_only_the_last_claim_counts():
    """A task the dead worker once ran, now running under a live worker, is left alone."""
    workers.register_worker("dead")
    workers.register_worker("alive", every=60)
    task = running_task("dead", "alive")
    expire("dead")
    assert workers.recover_abandoned_tasks()["requeued"] == []
    assert status(task) == TaskResultStatus.RUNNING


def test_a_task_that_keeps_killing_its_worker_is_given_up():
    workers.register_worker("third")
    task = running_task("first", "second", "third")
    expire("third")
    assert workers.recover_abandoned_tasks() == {"requeued": [], "failed": [str(task.pk)]}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "kollega.ops.workers.WorkerLost"
    assert "killed 3 times" in task.traceback


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_runs_a_queued_task_and_leaves_no_heartbeat():
    from kollega.ops.tasks import probe

    result = probe.enqueue(label="batch")
    call_command("worker", "--batch", "--no-schedule", "--interval", "0", verbosity=0)
    [run] = ProbeRun.objects.filter(label="batch")
    assert run.finished_at is not None and run.attempt == 1
    db_result = DBTaskResult.objects.get(pk=result.id)
    assert db_result.status == TaskResultStatus.SUCCESSFUL
    assert db_result.worker_ids == [run.worker_id]
    assert not WorkerHeartbeat.objects.exists()
