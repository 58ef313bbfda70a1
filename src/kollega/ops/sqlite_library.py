"""Which SQLite library Kollega's processes use, and a check that it is a safe one.

SQLite 3.7.0 to 3.51.2 have the "WAL-reset bug": a race between two checkpoints
and a commit that restarts the write-ahead log can lose committed transactions
(fixed in 3.51.3). Kollega's web workers, threads and task worker write one WAL
database at once, which is what the race needs. Debian 12's library is 3.40.1,
so `tools/build-sqlite` compiles pysqlite3 (CPython's sqlite3 module under
another name) against SQLite 3.54.1, and `use_built_sqlite()` — run when the
`kollega` package is imported, before Django or anything else opens a database —
makes `import sqlite3` give that module. Everything in the process then uses one
library: two copies of SQLite in one process do not see each other's POSIX locks
and can corrupt a database they both open.
"""

import sys

# The first release with the WAL-reset fix (backports: 3.44.6 and 3.50.7).
FIXED = (3, 51, 3)
BACKPORTS = ((3, 44, 6), (3, 45, 0)), ((3, 50, 7), (3, 51, 0))


def use_built_sqlite() -> bool:
    """Make `import sqlite3` give the pysqlite3 build, if it is installed and nothing
    has imported the standard library's module yet. True when the build is in use."""
    try:
        import pysqlite3
    except ImportError:
        return False
    if "sqlite3" in sys.modules and sys.modules["sqlite3"] is not pysqlite3:
        # Too late: someone holds the standard module already; mixing would be unsafe.
        return False
    sys.modules["sqlite3"] = pysqlite3
    sys.modules["sqlite3.dbapi2"] = pysqlite3.dbapi2
    return True


def has_wal_reset_fix(version: tuple[int, int, int]) -> bool:
    """Whether an SQLite version (major, minor, patch) is free of the WAL-reset bug."""
    if version >= FIXED:
        return True
    return any(low <= version < high for low, high in BACKPORTS)
