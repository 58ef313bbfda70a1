"""Background tasks of blogs, run by the periodic schedule (`kollega.ops.schedule`)."""

from django_tasks import task


@task()
def publish_scheduled_entries() -> int:
    """Publish the scheduled entries whose time has come; returns how many."""
    from kollega.content.blogs.services import publish_due_entries

    return len(publish_due_entries())
