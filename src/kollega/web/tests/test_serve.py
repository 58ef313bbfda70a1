"""`kollega serve` hands gunicorn the settings the operations guide describes.

gunicorn's own parser reads the options (its `run` is replaced, so no server
starts); tests/test_crash.py runs the real server.
"""

import sys

import pytest
from django.core.management import call_command
from gunicorn.app.wsgiapp import WSGIApplication


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


def test_connections_close_after_each_response_by_default(gunicorn_config):
    cfg = gunicorn_config("--workers", "3", "--threads", "8")
    assert cfg.keepalive == 0
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (3, 8, "gthread")


def test_keep_alive_can_be_turned_on(gunicorn_config, monkeypatch):
    assert gunicorn_config("--keep-alive", "5").keepalive == 5
    monkeypatch.setenv("KOLLEGA_KEEP_ALIVE", "2")
    assert gunicorn_config().keepalive == 2
