"""Kollega: an open-source social intranet."""

from kollega.ops.sqlite_library import use_built_sqlite

__version__ = "0.1.0"

# Before any module imports sqlite3: one SQLite library per process, the fixed one.
use_built_sqlite()
