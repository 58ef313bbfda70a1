"""Backup and restore of the whole database, on SQLite and PostgreSQL.

SQLite uses the online backup API (`sqlite3.Connection.backup`): a consistent
copy taken while the intranet keeps running, and restored page by page into
the live database. PostgreSQL uses `pg_dump -Fc` and `pg_restore --clean
--if-exists --single-transaction`, with the connection taken from the settings
and the password passed in PGPASSWORD (never on the command line).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import connections


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise ImproperlyConfigured(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def backup(path: str | Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _engine(alias) == "sqlite":
        _sqlite_backup(path, alias)
    else:
        _pg_run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path)], alias)
    return path


def restore(path: str | Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    connection = connections[alias]
    if _engine(alias) == "sqlite":
        _sqlite_restore(path, alias)
    else:
        # pg_restore drops and recreates tables: no transaction of ours may hold them.
        connection.close()
        _pg_run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                str(path),
            ],
            alias,
        )


def _sqlite_backup(path: Path, alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(tmp)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    tmp.replace(path)


def _sqlite_restore(path: Path, alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ValueError(f"{path} is not an intact SQLite database")
        source.backup(connection.connection)
    finally:
        source.close()


def _pg_run(command: list[str], alias: str) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise ImproperlyConfigured(f"{command[0]} is missing: install Debian's postgresql-client.")
    settings = connections[alias].settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = [binary, "--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    subprocess.run([*args, *command[1:]], env=env, check=True, stdin=subprocess.DEVNULL)
