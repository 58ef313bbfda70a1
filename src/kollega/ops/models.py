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
