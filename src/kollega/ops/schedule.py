"""The periodic schedule: jobs kept in the database, claimed by one worker at a time.

`SCHEDULE` names each periodic task and its interval. `sync_schedule()` makes
the table agree with it (new jobs are due at once; an existing job keeps its
`next_run_at`, so a restart neither skips nor repeats a run). `run_due_jobs()`
claims every due job and enqueues its task; `kollega worker` calls it in a loop.

A claim moves `next_run_at` forward with a compare-and-set UPDATE in the same
transaction that enqueues the task. On PostgreSQL the due rows are first locked
with `SELECT ... FOR UPDATE SKIP LOCKED`, so a second worker skips them instead
of waiting; on SQLite the IMMEDIATE transaction holds the write lock. Either
way a due job is enqueued once, however many workers look at once.
"""

import logging
from datetime import timedelta

from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.utils import is_locked_database_exception

from kollega.ops.models import ScheduledJob

logger = logging.getLogger(__name__)

SCHEDULE: dict[str, tuple[str, timedelta]] = {
    "clear-expired-sessions": ("kollega.ops.tasks.clear_expired_sessions", timedelta(hours=6)),
    "purge-idempotency-keys": ("kollega.api.tasks.purge_idempotency_keys", timedelta(hours=1)),
    "forget-sent-forms": ("kollega.web.tasks.forget_sent_forms", timedelta(hours=6)),
    "tidy-sign-in-records": ("kollega.accounts.tasks.tidy_sign_in_records", timedelta(hours=6)),
    "prune-task-results": ("kollega.ops.tasks.prune_task_results", timedelta(days=1)),
    "publish-scheduled-blog-entries": (
        "kollega.content.blogs.tasks.publish_scheduled_entries",
        timedelta(minutes=1),
    ),
    "send-mail": ("kollega.mail.tasks.send_mail", timedelta(minutes=1)),
    "forget-old-mail": ("kollega.mail.tasks.forget_old_mail", timedelta(days=1)),
    "send-digests": ("kollega.digests.tasks.send_due_digests", timedelta(minutes=15)),
    "poll-listening-sources": ("kollega.listening.tasks.poll_due_sources", timedelta(minutes=1)),
    "refresh-expertise-profiles": (
        "kollega.expertise.tasks.catch_up_profiles",
        timedelta(minutes=1),
    ),
    "escalate-routed-questions": (
        "kollega.qa.tasks.escalate_routed_questions",
        timedelta(minutes=5),
    ),
    "purge-audit-trail": ("kollega.audit.tasks.purge_old_entries", timedelta(days=1)),
    # The insights panels that read rollups lag the rows by at most this interval.
    "refresh-insights-rollups": ("kollega.insights.tasks.refresh_rollups", timedelta(minutes=5)),
}


def sync_schedule(schedule: dict[str, tuple[str, timedelta]] | None = None) -> None:
    """Create missing jobs (due now) and update task paths and intervals of existing ones."""
    schedule = SCHEDULE if schedule is None else schedule
    now = timezone.now()
    for name, (task_path, interval) in schedule.items():
        job, created = ScheduledJob.objects.get_or_create(
            name=name,
            defaults={"task_path": task_path, "interval": interval, "next_run_at": now},
        )
        if not created and (job.task_path, job.interval) != (task_path, interval):
            ScheduledJob.objects.filter(pk=job.pk).update(task_path=task_path, interval=interval)


def _claim(job: ScheduledJob, now) -> bool:
    """Move a due job's next run forward, unless another worker did first."""
    return bool(
        ScheduledJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
            next_run_at=now + job.interval, last_run_at=now, run_count=job.run_count + 1
        )
    )


def run_due_jobs(now=None) -> list[str]:
    """Enqueue the task of every due job this worker claims; return their names.

    If SQLite stays locked by another worker past its busy timeout, this round
    claims nothing: the other worker holds the due jobs, and the next look
    finds whatever is still due.
    """
    try:
        return _run_due_jobs(now or timezone.now())
    except OperationalError as error:
        if not is_locked_database_exception(error):
            raise
        logger.info("The database is locked by another worker; looking again later")
        return []


def _run_due_jobs(now) -> list[str]:
    claimed = []
    with transaction.atomic():
        due = ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for job in list(due):
            if not _claim(job, now):
                continue
            import_string(job.task_path).enqueue()
            claimed.append(job.name)
    if claimed:
        logger.info("Enqueued scheduled jobs: %s", ", ".join(claimed))
    return claimed
