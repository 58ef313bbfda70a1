"""Crash test: SIGKILL the server while a client posts, and lose nothing it was told was saved.

A real `kollega serve` (gunicorn) runs in its own process group on a free
loopback port, over a file SQLite database, or over a fresh PostgreSQL
database in the PostgreSQL pass (the `server_database` fixture). Four clients
post through the API with a token as fast as they can; mid-stream the whole
server is killed with SIGKILL. Once every server process is gone, every post
that got a 2xx must be there with its text intact, SQLite's
`PRAGMA integrity_check` must say ok, and a restarted server serves them.
"""

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from real_processes import free_port, start_server, wait_until_up

pytestmark = pytest.mark.crash

SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
from kollega.api.services import create_token
from kollega.people.services import create_person
call_command("migrate", verbosity=0, interactive=False)
person = create_person("crash", "Crash Tester", password="crash-test-pw-1")
print(create_token(person, "crash test")[1])
"""


def wait_until_gone(pgid, timeout=10.0):
    """Wait until no process of the killed server's group is alive (zombies aside).

    `wait()` reaps only gunicorn's master; its workers are reaped by init. Read
    the database only once they are gone, so no dying worker holds SQLite's
    locks and the reader recovers the WAL from the files alone.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(stat.parent.name)
        if not alive:
            return
        time.sleep(0.05)
    raise AssertionError(f"processes {alive} of the killed server are still alive")


ACKNOWLEDGED_BEFORE_THE_KILL = 150


def post_until_killed(port, token, acknowledged, enough, stop):
    """Post as fast as possible; keep (id, body) of every post answered 2xx, and set
    `enough` once ACKNOWLEDGED_BEFORE_THE_KILL of them are kept (by all clients)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    n = 0
    conn = None
    while not stop.is_set():
        n += 1
        body = f"Crash post {n} — {uuid.uuid4().hex} åäö"
        try:
            conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/api/v1/posts", json.dumps({"body": body}), headers)
            response = conn.getresponse()
            data = response.read()
            if 200 <= response.status < 300:
                acknowledged.append((json.loads(data)["id"], body))
                if len(acknowledged) >= ACKNOWLEDGED_BEFORE_THE_KILL:
                    enough.set()
        except (OSError, http.client.HTTPException):
            conn = None
            time.sleep(0.01)


def stored_posts(db) -> dict[int, str]:
    if not db.url:
        [(integrity,)] = db.query("PRAGMA integrity_check")
        assert integrity == "ok"
    return dict(db.query("SELECT id, body FROM posts_post"))


def describe_loss(missing, acknowledged, stored) -> str:
    """Enough about lost posts to tell a lost commit from a test that miscounted."""
    order = {pk: n for n, (pk, _) in enumerate(acknowledged)}
    lines = [f"{len(missing)} of {len(acknowledged)} acknowledged posts were lost"]
    lines.append(f"stored: {len(stored)} posts, highest id {max(stored, default=None)}")
    for pk, body in missing:
        found = "absent" if pk not in stored else f"id holds another body: {stored[pk]!r}"
        lines.append(f"id {pk} (acknowledged #{order[pk] + 1}), {found}; sent {body!r}")
    lines.append(f"SQLite library {sqlite3.sqlite_version}")
    return "\n".join(lines)


def test_a_killed_server_loses_no_acknowledged_post(server_database):
    db = server_database
    # The server runs as in production (persistent connections, no test switches).
    env = {**db.env, "KOLLEGA_ACCESS_LOG": "none"}
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=60
    )
    assert setup.returncode == 0, setup.stderr
    token = setup.stdout.strip().splitlines()[-1]

    port = free_port()
    server = start_server(env, port)
    acknowledged: list[tuple[int, str]] = []
    enough, stop = threading.Event(), threading.Event()
    clients = [
        threading.Thread(target=post_until_killed, args=(port, token, acknowledged, enough, stop))
        for _ in range(4)
    ]
    try:
        wait_until_up(port)
        for client in clients:
            client.start()
        # However slow the machine: kill once that many posts were acknowledged.
        assert enough.wait(timeout=300), f"only {len(acknowledged)} posts got through"
        os.killpg(server.pid, signal.SIGKILL)  # mid-stream: the clients are still posting
        server.wait(timeout=10)
        wait_until_gone(server.pid)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    # Every client has stopped: nothing is added to `acknowledged` after the read below.
    assert not any(client.is_alive() for client in clients)
    assert len(acknowledged) >= ACKNOWLEDGED_BEFORE_THE_KILL

    # Every acknowledged post is in the database, word for word.
    stored = stored_posts(db)
    missing = [(pk, body) for pk, body in acknowledged if stored.get(pk) != body]
    assert missing == [], describe_loss(missing, acknowledged, stored)

    # The restarted server serves them.
    port = free_port()
    server = start_server(env, port)
    try:
        wait_until_up(port)
        pk, body = acknowledged[-1]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", f"/api/v1/posts/{pk}", headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        assert response.status == 200
        assert json.loads(response.read())["body"] == body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
