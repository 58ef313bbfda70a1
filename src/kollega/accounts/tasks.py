"""Background tasks of sign-in, run by the periodic schedule (`kollega.ops.schedule`)."""

from django_tasks import task


@task()
def tidy_sign_in_records() -> int:
    """Forget sign-in attempts older than 90 days and sessions that have ended."""
    from kollega.accounts.sessions import forget_ended_sessions
    from kollega.accounts.signin import purge_old_attempts

    return purge_old_attempts() + forget_ended_sessions()
