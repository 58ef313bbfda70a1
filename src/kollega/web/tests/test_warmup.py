"""A web process warms up at start: every template compiles, without the database
(pytest-django refuses database access here, so a query would fail the test)."""

import json
import os
import subprocess
import sys

import pytest
from django.template import engines

from kollega.web.warmup import settle, warm


def test_warm_compiles_every_template_without_the_database():
    assert warm() > 50
    (cached,) = engines["django"].engine.template_loaders
    assert "web/home.html" in cached.get_template_cache
    assert "posts/_post.html" in cached.get_template_cache


def test_settle_keeps_what_lives_after_the_warm_up_out_of_full_collections():
    import gc

    warm()
    try:
        settle()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_a_web_process_is_warm_settled_and_takes_short_gil_turns_once_loaded(tmp_path):
    """What gunicorn loads (`kollega.wsgi`), loaded in a fresh process as a worker loads it:
    templates compiled, the long-lived objects frozen, and 1 ms GIL turns instead of 5."""
    probe = (
        "import gc, json, sys\n"
        "default = sys.getswitchinterval()\n"
        "import kollega.wsgi\n"
        "from django.template import engines\n"
        "(cached,) = engines['django'].engine.template_loaders\n"
        "print(json.dumps({'default': default, 'turn': sys.getswitchinterval(),\n"
        "    'frozen': gc.get_freeze_count(), 'templates': len(cached.get_template_cache)}))\n"
    )
    env = {**os.environ, "KOLLEGA_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # kollega.wsgi names the settings itself
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["default"] == pytest.approx(0.005)
    assert loaded["turn"] == pytest.approx(0.001)
    assert loaded["frozen"] > 10_000
    assert loaded["templates"] > 50
