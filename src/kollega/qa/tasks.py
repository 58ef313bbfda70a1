"""Background tasks of questions, run by the periodic schedule (`kollega.ops.schedule`)."""

from django_tasks import task


@task()
def escalate_routed_questions() -> int:
    """Send routed questions past their deadline on to the next people; answer how many
    were sent."""
    from kollega.qa.services import escalate_due_questions

    return len(escalate_due_questions())
