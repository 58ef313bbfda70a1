"""The periodic schedule: kept in the database, each due job enqueued once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kollega.ops import schedule
from kollega.ops.models import ScheduledJob

RUNS: list[str] = []

TEST_SCHEDULE = {
    "count": ("kollega.ops.tests.test_schedule.count_run", timedelta(hours=1)),
}


def _count_run():
    RUNS.append("ran")


# A real task, so enqueue() goes through the configured backend.
from django_tasks import task  # noqa: E402

count_run = task()(_count_run)


@pytest.fixture(autouse=True)
def _fresh_runs():
    RUNS.clear()
    yield
    RUNS.clear()


@pytest.mark.django_db
def test_a_new_job_is_due_at_once_and_then_waits_its_interval():
    schedule.sync_schedule(TEST_SCHEDULE)
    assert schedule.run_due_jobs() == ["count"]
    assert RUNS == ["ran"]
    assert schedule.run_due_jobs() == []
    job = ScheduledJob.objects.get(name="count")
    assert job.run_count == 1
    assert job.next_run_at > timezone.now() + timedelta(minutes=59)
    later = timezone.now() + timedelta(hours=1, seconds=1)
    assert schedule.run_due_jobs(now=later) == ["count"]
    assert RUNS == ["ran", "ran"]


@pytest.mark.django_db
def test_the_schedule_survives_a_restart():
    schedule.sync_schedule(TEST_SCHEDULE)
    schedule.run_due_jobs()
    next_run = ScheduledJob.objects.get(name="count").next_run_at
    # A restarted worker syncs the schedule again: the job keeps its next run.
    schedule.sync_schedule(TEST_SCHEDULE)
    assert ScheduledJob.objects.get(name="count").next_run_at == next_run
    assert schedule.run_due_jobs() == []
    assert RUNS == ["ran"]
    # A changed interval is taken up without losing the job's place.
    schedule.sync_schedule({"count": (TEST_SCHEDULE["count"][0], timedelta(minutes=5))})
    job = ScheduledJob.objects.get(name="count")
    assert (job.interval, job.next_run_at) == (timedelta(minutes=5), next_run)


@pytest.mark.django_db
def test_the_default_schedule_names_real_tasks():
    schedule.sync_schedule()
    assert set(ScheduledJob.objects.values_list("name", flat=True)) == set(schedule.SCHEDULE)
    assert sorted(schedule.run_due_jobs()) == sorted(schedule.SCHEDULE)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_run_a_due_job_once():
    schedule.sync_schedule(TEST_SCHEDULE)
    workers = 4
    barrier = threading.Barrier(workers)
    claimed: list[list[str]] = []
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait(timeout=10)
            claimed.append(schedule.run_due_jobs())
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection, or it outlives the test database

    for _ in range(5):  # several rounds, each due again
        ScheduledJob.objects.update(next_run_at=timezone.now() - timedelta(seconds=1))
        claimed.clear()
        threads = [threading.Thread(target=worker) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert sorted(claimed) == [[]] * (workers - 1) + [["count"]]
    assert len(RUNS) == 5
    assert ScheduledJob.objects.get(name="count").run_count == 5
