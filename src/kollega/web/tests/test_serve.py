"""`kollega serve` hands gunicorn the settings the operations guide describes, and a
real server closes idle connections as they say.

gunicorn's own parser reads the options (its `run` is replaced, so no server
starts); the last tests run a real `kollega serve` (tests/real_processes.py).
"""

import http.client
import socket
import sys
import time

import pytest
from django.core.management import call_command
from gunicorn.app.wsgiapp import WSGIApplication

from tests.real_processes import free_port, start_server, stop, wait_until_up


@pytest.fixture
def gunicorn_config(monkeypatch):
    """The gunicorn configuration `kollega serve` would have run with."""
    seen = {}
    monkeypatch.setattr(WSGIApplication, "run", lambda self: seen.update(cfg=self.cfg))
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # serve replaces it for gunicorn
    monkeypatch.delenv("KOLLEGA_KEEP_ALIVE", raising=False)

    def serve(*args):
        call_command("serve", "--no-collectstatic", *args)
        return seen["cfg"]

    return serve


def test_gunicorn_runs_the_workers_and_threads_asked_for(gunicorn_config):
    cfg = gunicorn_config("--workers", "3", "--threads", "8")
    assert cfg.keepalive == 0
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (3, 8, "gthread")


def test_keep_alive_can_be_turned_on(gunicorn_config, monkeypatch):
    assert gunicorn_config("--keep-alive", "5").keepalive == 5
    monkeypatch.setenv("KOLLEGA_KEEP_ALIVE", "2")
    assert gunicorn_config().keepalive == 2


# --- a real server ---------------------------------------------------------------------------


@pytest.fixture
def real_server(server_database):
    """Start a real `kollega serve` (one worker) with extra environment; its port."""
    servers = []

    def serve(**env):
        port = free_port()
        servers.append(
            start_server({**server_database.env, "KOLLEGA_ACCESS_LOG": "none", **env}, port, 1)
        )
        wait_until_up(port)
        return port

    yield serve
    for server in servers:
        stop(server)


def ask_on(sock: socket.socket) -> http.client.HTTPResponse:
    """One HTTP/1.1 request on an open connection; the whole response, read."""
    sock.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    response = http.client.HTTPResponse(sock)
    response.begin()
    response.read()
    return response


def closed_by_the_server(sock: socket.socket) -> bool:
    """Wait, idle, until the server closes the connection: recv gives b"" (or the socket's
    timeout raises, if the server never closes it)."""
    return sock.recv(1) == b""


@pytest.mark.processes
def test_a_real_server_closes_each_connection_after_its_response_by_default(real_server):
    port = real_server(KOLLEGA_KEEP_ALIVE="0")
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        response = ask_on(sock)
        assert response.status == 200
        assert response.getheader("Connection", "").lower() == "close"
        assert closed_by_the_server(sock)


@pytest.mark.processes
def test_a_real_server_closes_an_idle_kept_alive_connection_after_the_keep_alive_time(
    real_server,
):
    port = real_server(KOLLEGA_KEEP_ALIVE="2")
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        assert ask_on(sock).status == 200
        asked = time.monotonic()  # before the server's 2 s start: they start as it answers
        response = ask_on(sock)  # the same connection serves a second request
        assert response.status == 200
        assert response.getheader("Connection", "keep-alive").lower() == "keep-alive"
        assert closed_by_the_server(sock)
        kept_for = time.monotonic() - asked
    assert 2 <= kept_for < 15  # kept open the 2 s asked for, then closed by the server
