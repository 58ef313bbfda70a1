"""Operations state kept in the database, so it survives restarts."""

from django.db import models


class ScheduledJob(models.Model):
    """A periodic task: `kollega worker` enqueues it each time `next_run_at` passes.

    A worker claims a due job by moving `next_run_at` forward in the same
    transaction that enqueues the task, so of several workers only one runs it.
    """

    name = models.CharField(max_length=100, unique=True)
    task_path = models.CharField(max_length=200)
    interval = models.DurationField()
    next_run_at = models.DateTimeField(db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    run_count = models.PositiveIntegerField(default=0)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} every {self.interval}"


class WorkerHeartbeat(models.Model):
    """A running `kollega worker`, alive while `expires_at` lies in the future.

    The worker moves `expires_at` forward every few seconds from a thread of its
    own, also while a long task runs. A task still RUNNING under a worker whose
    heartbeat expired was cut off (the process was killed, or its machine
    stopped): `kollega.ops.workers.recover_abandoned_tasks` queues it again.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"


class ProbeRun(models.Model):
    """One run of the `probe` task (`kollega.ops.tasks.probe`), kept to check the worker.

    A run is stored when it starts and marked finished when it ends, so a run
    cut off by a killed worker stays unfinished and its retry shows as a second run.
    """

    label = models.CharField(max_length=100, db_index=True)
    worker_id = models.CharField(max_length=64, blank=True)
    attempt = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"probe {self.label} attempt {self.attempt}"
