"""Kollega runs on an SQLite without the WAL-reset bug, and says so when it cannot."""

import sqlite3

import pytest
from django.core import checks
from django.db import connection

from kollega.ops.sqlite_library import has_wal_reset_fix


@pytest.mark.parametrize(
    "version, fixed",
    [
        ((3, 40, 1), False),  # Debian 12
        ((3, 44, 5), False),
        ((3, 44, 6), True),  # backport
        ((3, 45, 0), False),
        ((3, 50, 7), True),  # backport
        ((3, 51, 2), False),
        ((3, 51, 3), True),
        ((3, 54, 1), True),
    ],
)
def test_which_versions_have_the_fix(version, fixed):
    assert has_wal_reset_fix(version) is fixed


@pytest.mark.django_db
def test_kollega_runs_on_a_fixed_sqlite():
    assert has_wal_reset_fix(sqlite3.sqlite_version_info), sqlite3.sqlite_version
    if connection.vendor == "sqlite":
        # One library in the process: what `import sqlite3` gives is what Django uses.
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()")
            assert cursor.fetchone() == (sqlite3.sqlite_version,)


def kollega_warnings():
    return [message for message in checks.run_checks() if message.id == "kollega.W001"]


def test_check_warns_about_a_library_with_the_bug(monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 40, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.40.1")
    warnings = kollega_warnings()
    if connection.vendor == "sqlite":
        assert [w.msg.split(" has ")[0] for w in warnings] == ["SQLite 3.40.1"]
        assert "tools/build-sqlite" in warnings[0].hint
    else:  # PostgreSQL: the SQLite library does not matter
        assert warnings == []


def test_check_is_quiet_with_a_fixed_library(monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 54, 1))
    assert kollega_warnings() == []
