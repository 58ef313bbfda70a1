"""Background tasks of the API, run by the periodic schedule (`kollega.ops.schedule`)."""

from django_tasks import task


@task()
def purge_idempotency_keys() -> int:
    """Forget `Idempotency-Key`s older than 24 hours."""
    from kollega.api.idempotency import purge_expired_keys

    return purge_expired_keys()
