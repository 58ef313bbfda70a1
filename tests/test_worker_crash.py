"""Crash test: SIGKILL `kollega worker` mid-task; the next worker runs the task again, once.

Real processes over a file SQLite database, or a fresh PostgreSQL one in the
PostgreSQL pass. The task is `kollega.ops.tasks.probe`, which records each run
as it starts and marks it finished as it ends: the killed run stays unfinished,
the retry is a second run, and exactly one run finishes.
"""

import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
from real_processes import start_worker, stop, wait_for

pytestmark = pytest.mark.crash

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
"""

ENQUEUE = """
import django, sys
django.setup()
from kollega.ops.tasks import probe
print(probe.enqueue(label=sys.argv[1], seconds=float(sys.argv[2])).id)
"""

HEARTBEAT = 0.5  # seconds: a killed worker is taken for dead 1.5 s after its last beat
WORKER_OPTIONS = ("--no-schedule", "--interval", "0.1", "--heartbeat", str(HEARTBEAT))


def run_python(code, env, *args):
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def env(server_database):
    env = {**server_database.env, "KOLLEGA_TASKS_BACKEND": "database"}
    run_python(SETUP, env)
    return env


def runs(db, label):
    """(worker id, attempt, finished) of every run of the probe `label`, oldest first."""
    return [
        (worker, attempt, finished is not None)
        for worker, attempt, finished in db.query(
            "SELECT worker_id, attempt, finished_at FROM ops_proberun WHERE label = %s ORDER BY id",
            (label,),
        )
    ]


def json_value(value):
    """A JSON column as Python: psycopg decodes jsonb, sqlite3 gives the text."""
    return json.loads(value) if isinstance(value, str) else value


def expiries(db) -> dict:
    """expires_at of every registered worker, by worker id (each beat moves it on)."""
    return dict(db.query("SELECT worker_id, expires_at FROM ops_workerheartbeat"))


def other_worker(db, *known) -> str:
    """The id of the one registered worker not among `known`, once it has registered."""
    [worker_id] = wait_for(lambda: set(expiries(db)) - set(known), 60, "another worker's heartbeat")
    return worker_id


def wait_for_beats(db, worker_id, beats) -> None:
    """Wait until `worker_id` has beaten `beats` more times. A worker runs a recovery round
    after each beat, so after n + 1 beats its rounds after the first n are done."""
    for _ in range(beats):
        before = expiries(db).get(worker_id)
        assert before is not None, f"worker {worker_id} is no longer registered"
        wait_for(
            lambda before=before: expiries(db).get(worker_id, before) != before,
            30,
            f"a heartbeat of worker {worker_id}",
        )


def task_results(db):
    return db.query(
        "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = %s",
        ("kollega.ops.tasks.probe",),
    )


def test_a_task_cut_off_by_a_killed_worker_runs_again_once(server_database, env):
    db = server_database
    label = uuid.uuid4().hex
    run_python(ENQUEUE, env, label, "3")

    first = start_worker(env, *WORKER_OPTIONS)
    try:
        wait_for(lambda: runs(db, label), 30, "the first worker to start the task")
        os.killpg(first.pid, signal.SIGKILL)  # at once: well inside the task's 3 s wait
        first.wait(timeout=10)
    finally:
        stop(first, signal.SIGKILL)
    [(first_worker, attempt, finished)] = runs(db, label)
    assert (attempt, finished) == (1, False)
    [(status, _, _)] = task_results(db)
    assert status == "RUNNING"  # left behind: nothing but recovery would run it again

    second = start_worker(env, *WORKER_OPTIONS)
    try:
        wait_for(lambda: task_results(db)[0][0] == "SUCCESSFUL", 60, "the task to be re-run")
        # Two more recovery rounds, in which a wrong third run would be queued.
        wait_for_beats(db, other_worker(db, first_worker), 3)
    finally:
        stop(second)  # gracefully: a run it had started would finish before it stops
    killed_run, second_run = runs(db, label)

    assert killed_run == (first_worker, 1, False)
    second_worker, attempt, finished = second_run
    assert (attempt, finished) == (2, True) and second_worker != first_worker
    [(status, worker_ids, return_value)] = task_results(db)
    assert status == "SUCCESSFUL"
    assert json_value(return_value) == 2
    assert json_value(worker_ids) == [first_worker, second_worker]
    # The second worker stopped cleanly: no heartbeat is left, so nothing is recovered later.
    assert db.query("SELECT worker_id FROM ops_workerheartbeat") == []


def test_a_live_worker_keeps_its_long_task(server_database, env):
    """A second worker, started while another runs a long task, never takes the task over
    while that worker lives: not as it starts, nor in the recovery rounds after each of
    its heartbeats, also after a silent worker would have been taken for dead."""
    db = server_database
    label = uuid.uuid4().hex
    run_python(ENQUEUE, env, label, str(20 * HEARTBEAT))
    first = start_worker(env, *WORKER_OPTIONS)
    second = None
    try:
        [(first_worker, _, _)] = wait_for(
            lambda: runs(db, label), 30, "the first worker to start the task"
        )
        second = start_worker(env, *WORKER_OPTIONS)
        second_worker = other_worker(db, first_worker)
        # Its first beat ends its start-up round; four more take over 2 s, beyond the
        # 1.5 s after which a worker whose heartbeat had stopped would be taken for dead.
        wait_for_beats(db, second_worker, 5)
        [(worker, attempt, finished)] = runs(db, label)  # not taken over, not run again
        assert (worker, attempt) == (first_worker, 1)
        assert not finished, "the task ended before the second worker's rounds: nothing tested"
        assert first_worker in expiries(db)
        wait_for(lambda: task_results(db)[0][0] == "SUCCESSFUL", 60, "the task to finish")
        wait_for_beats(db, second_worker, 3)  # two more rounds after the task ended
    finally:
        stop(first)
        if second is not None:
            stop(second)
    [(worker, attempt, finished)] = runs(db, label)
    assert (worker, attempt, finished) == (first_worker, 1, True)
    [(status, worker_ids, _)] = task_results(db)
    assert status == "SUCCESSFUL" and json_value(worker_ids) == [first_worker]
