"""Background tasks of the web pages, run by the periodic schedule."""

from django_tasks import task


@task()
def forget_sent_forms() -> int:
    """Forget one-time form tokens older than a day (see `kollega.web.once`)."""
    from kollega.web.once import forget_sent_forms

    return forget_sent_forms()
