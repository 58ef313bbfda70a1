"""A web process warms up at start: every template compiles, without the database
(pytest-django refuses database access here, so a query would fail the test)."""

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


def test_share_the_gil_shortens_each_threads_turn():
    import sys

    from kollega.web.warmup import share_the_gil

    before = sys.getswitchinterval()
    try:
        share_the_gil()
        assert sys.getswitchinterval() == pytest.approx(0.001)
        assert sys.getswitchinterval() < before
    finally:
        sys.setswitchinterval(before)
