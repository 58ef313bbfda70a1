"""Background tasks of expertise: keeping the profiles current (see `expertise.profiles`)."""

from django_tasks import task


@task()
def refresh_stale_profiles() -> int:
    """Recompute the profiles writes marked stale; returns how many people were refreshed."""
    from kollega.expertise.profiles import refresh_stale

    return refresh_stale()


@task()
def catch_up_profiles() -> int:
    """The periodic job: stale profiles, then day-old ones and people with none."""
    from kollega.expertise.profiles import refresh_stale

    return refresh_stale(catch_up=True)
