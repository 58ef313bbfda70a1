"""System checks of the operations app (`kollega check`)."""

import sqlite3

from django.core import checks
from django.db import connections

from kollega.ops.sqlite_library import has_wal_reset_fix


@checks.register()
def check_sqlite_library(app_configs=None, **kwargs):
    """Warn when the SQLite database runs on a library with the WAL-reset bug."""
    if not any(connection.vendor == "sqlite" for connection in connections.all()):
        return []
    if has_wal_reset_fix(sqlite3.sqlite_version_info):
        return []
    return [
        checks.Warning(
            f"SQLite {sqlite3.sqlite_version} has the WAL-reset bug, which can lose "
            "committed posts when several processes write at once.",
            hint="Run `tools/build-sqlite .venv/bin/python` (make install does), or use "
            "PostgreSQL via DATABASE_URL.",
            id="kollega.W001",
        )
    ]
