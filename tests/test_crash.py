"""Crash test: SIGKILL the server while a client posts, and lose nothing it was told was saved.

A real `kollega serve` (gunicorn) runs in its own process group on a free
loopback port, over a file SQLite database, or over a fresh PostgreSQL
database in the PostgreSQL pass. A client posts through the API with a token
as fast as it can; mid-stream the whole server is killed with SIGKILL. After a
restart every post that got a 2xx must be there with its text intact, and on
SQLite `PRAGMA integrity_check` must say ok.
"""

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid

import pytest

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """The server's own database: a file SQLite one, or a fresh PostgreSQL one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"kollega_crash_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(env, port):
    return subprocess.Popen(
        [sys.executable, "-m", "kollega", "serve", "--port", str(port), "--workers", "2",
         "--no-collectstatic"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes every worker
    )  # fmt: skip


def wait_until_up(port, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not start on port {port}")


def post_until_killed(port, token, acknowledged, stop):
    """Post as fast as possible; keep (id, body) of every post answered 2xx."""
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
        except (OSError, http.client.HTTPException):
            conn = None
            time.sleep(0.01)


@pytest.mark.xfail(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason=(
        "Known bug under investigation (issue 8): on SQLite under heavy CI load, 2 of 154 "
        "acknowledged posts were once missing after SIGKILL; it passes when run alone."
    ),
    strict=False,
)
def test_a_killed_server_loses_no_acknowledged_post(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(KOLLEGA_DATA_DIR=str(tmp_path), DEBUG="false", KOLLEGA_ACCESS_LOG="none")
    if database_url:
        env["DATABASE_URL"] = database_url
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=60
    )
    assert setup.returncode == 0, setup.stderr
    token = setup.stdout.strip().splitlines()[-1]

    port = free_port()
    server = start_server(env, port)
    acknowledged: list[tuple[int, str]] = []
    stop = threading.Event()
    clients = [
        threading.Thread(target=post_until_killed, args=(port, token, acknowledged, stop))
        for _ in range(4)
    ]
    try:
        wait_until_up(port)
        for client in clients:
            client.start()
        deadline = time.monotonic() + 6
        while len(acknowledged) < 150 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # mid-stream: the clients are still posting
        server.wait(timeout=10)
    finally:
        stop.set()
        for client in clients:
            if client.is_alive():
                client.join(timeout=10)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert len(acknowledged) >= 20, "too few posts got through to make the test meaningful"

    # Every acknowledged post is in the database, word for word.
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn:
            stored = dict(conn.execute("SELECT id, body FROM posts_post").fetchall())
    else:
        db = sqlite3.connect(tmp_path / "kollega.sqlite3")
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = dict(db.execute("SELECT id, body FROM posts_post").fetchall())
        finally:
            db.close()
    missing = [(pk, body) for pk, body in acknowledged if stored.get(pk) != body]
    assert missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged posts were lost"

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
