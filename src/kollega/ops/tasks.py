"""Housekeeping tasks that the schedule (`kollega.ops.schedule`) runs periodically."""

from datetime import timedelta

from django.core import management
from django.utils import timezone
from django_tasks import task


@task()
def clear_expired_sessions() -> None:
    """Delete expired sign-in sessions (Django's `clearsessions`)."""
    management.call_command("clearsessions")


@task()
def prune_task_results(days: int = 14) -> int:
    """Forget finished background-task results older than `days`."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
