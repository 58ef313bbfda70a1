"""The audit trail's scheduled work (registered in `kollega.ops.schedule`)."""

from django_tasks import task


@task()
def purge_old_entries() -> int:
    """Delete audit entries past KOLLEGA_AUDIT_RETENTION_DAYS, keeping the chain verifiable."""
    from kollega.audit.services import purge_old_entries as purge

    return purge()
