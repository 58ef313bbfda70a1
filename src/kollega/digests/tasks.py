"""Background task of digests: the periodic round that sends each person's at their morning."""

from django_tasks import task


@task()
def send_due_digests() -> int:
    """The periodic job (every 15 minutes): make every digest whose morning has come and
    that was not made yet; the mail worker sends them. Returns how many people it looked at."""
    from kollega.digests.services import send_due_digests as send

    return send().people
