"""Background tasks of mail: one attempt at one delivery, and the periodic round."""

from django_tasks import task


@task()
def deliver(delivery_id: int) -> str:
    """Make one attempt at sending a delivery (nothing if it is not due)."""
    from kollega.mail.services import send_delivery

    return send_delivery(delivery_id)


@task()
def send_mail() -> int:
    """The periodic job: turn finished bursts of notifications into mails, then hand
    every due delivery (new, or waiting to be retried) to the workers. Returns how many."""
    from kollega.mail.notification_mails import mail_due_notifications
    from kollega.mail.services import due_deliveries

    mail_due_notifications()
    due = due_deliveries()
    for delivery_id in due:
        deliver.enqueue(delivery_id)
    return len(due)


@task()
def forget_old_mail() -> int:
    """The daily job: forget deliveries finished a month ago; returns how many."""
    from kollega.mail.services import forget_old_deliveries

    return forget_old_deliveries()
