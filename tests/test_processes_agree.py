"""Two web servers and a worker on one database agree, as soon as a write answers.

Real processes: two `kollega serve` (each its own gunicorn master and worker,
so no memory is shared) and one `kollega worker` on the database of the
`server_database` fixture — a SQLite file in the SQLite pass, a fresh
PostgreSQL database in the PostgreSQL pass, which is where several servers
are meant to run.
"""

import subprocess
import sys
import uuid

import pytest
from real_processes import api, free_port, start_server, start_worker, stop, wait_for, wait_until_up

pytestmark = pytest.mark.processes

SETUP = """
import django
django.setup()
from django.core.management import call_command
from kollega.api.services import create_token
from kollega.people.services import create_person
call_command("migrate", verbosity=0, interactive=False)
for username, name in (("alice", "Alice Ek"), ("bob", "Bob Berg")):
    print(create_token(create_person(username, name), "agreement test")[1])
"""


@pytest.fixture
def processes(server_database):
    """Ports of two running servers, after the worker has started; all stopped afterwards."""
    env = {**server_database.env, "KOLLEGA_TASKS_BACKEND": "database", "KOLLEGA_ACCESS_LOG": "none"}
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=60
    )
    assert setup.returncode == 0, setup.stderr
    tokens = setup.stdout.split()[-2:]
    ports = [free_port(), free_port()]
    started = [start_server(env, port, workers=1) for port in ports]
    started.append(start_worker(env, "--no-schedule", "--interval", "0.1"))
    try:
        for port in ports:
            wait_until_up(port)
        yield ports, tokens
    finally:
        for process in started:
            stop(process)


def test_a_write_through_one_server_is_seen_through_the_other_at_once(server_database, processes):
    (one, other), (alice, bob) = processes
    body = f"Cold crash before bottling #fermentation {uuid.uuid4().hex}"

    status, post = api(one, alice, "POST", "/api/v1/posts", {"body": body})
    assert status == 201
    # No waiting: the other server reads what the first one answered for.
    status, seen = api(other, bob, "GET", f"/api/v1/posts/{post['id']}")
    assert (status, seen["body"], seen["tags"]) == (200, body, ["fermentation"])
    status, stream = api(other, bob, "GET", "/api/v1/stream")
    assert stream["items"][0]["id"] == post["id"]

    # And back: a comment through the second server moves the thread on the first.
    status, comment = api(other, bob, "POST", f"/api/v1/posts/{post['id']}/comments",
                          {"body": "Two days at 2 °C worked for me."})  # fmt: skip
    assert status == 201
    status, comments = api(one, alice, "GET", f"/api/v1/posts/{post['id']}/comments")
    assert [c["id"] for c in comments["items"]] == [comment["id"]]
    status, seen = api(one, alice, "GET", f"/api/v1/posts/{post['id']}")
    assert seen["comment_count"] == 1

    # The worker runs what the web servers enqueued: the post marked Alice's expertise
    # profile stale, and the worker process recomputes it from the shared database.
    def refreshed():
        return server_database.query(
            "SELECT t.weight FROM expertise_profileterm t JOIN expertise_profile p "
            "ON p.person_id = t.person_id JOIN people_person pe ON pe.id = p.person_id "
            "JOIN auth_user u ON u.id = pe.user_id "
            "WHERE u.username = %s AND t.term = %s AND p.stale_since IS NULL",
            ("alice", "#fermentation"),
        )

    wait_for(refreshed, 30, "the worker to refresh Alice's expertise profile")

    # Each writing transaction enqueues its own refresh, so the first may have done the
    # work while a later one is still queued or running: wait for all to finish.
    def refresh_statuses():
        rows = server_database.query(
            "SELECT DISTINCT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
            ("kollega.expertise.tasks.refresh_stale_profiles",),
        )
        statuses = {status for (status,) in rows}
        return statuses if statuses <= {"SUCCESSFUL", "FAILED"} else None

    assert wait_for(refresh_statuses, 30, "every refresh task to finish") == {"SUCCESSFUL"}
    # Both servers now rank her for the topic.
    for port in (one, other):
        status, experts = api(port, bob, "GET", "/api/v1/experts?q=fermentation")
        assert (status, [e["person"]["username"] for e in experts]) == (200, ["alice"])
