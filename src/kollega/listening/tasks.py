"""Background tasks of listening, run by the periodic schedule (`kollega.ops.schedule`)."""

from django_tasks import task


@task()
def poll_due_sources() -> int:
    """Poll every listening source that is due; answer how many were polled."""
    from kollega.listening.services import poll_due_sources as poll

    return len(poll())
