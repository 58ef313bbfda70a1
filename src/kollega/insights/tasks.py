"""Background tasks of insights, run by the periodic schedule (`kollega.ops.schedule`)."""

from django_tasks import task


@task()
def refresh_rollups() -> dict:
    """Bring every panel's rollups up to now (today and yesterday, after the first run)."""
    from kollega.insights.services import refresh_rollups as refresh

    return refresh()
