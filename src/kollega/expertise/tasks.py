"""Background tasks of expertise: keeping the profiles current (see `expertise.profiles`)."""

from django_tasks import task


@task()
def refresh_stale_profiles() -> int:
    """Recompute stale profiles, then the oldest ones; returns how many people were refreshed."""
    from kollega.expertise.profiles import refresh_stale

    return refresh_stale()
