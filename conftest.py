# The test data folder (KOLLEGA_DATA_DIR) is set by the plugin kollega.ops.pytest_env,
# which pytest loads before Django's settings (see addopts in pyproject.toml).
import os
import sqlite3
import uuid

import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids are reused after a test's rollback, so a
    value cached by one test (a person's recommendations) must not reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def make_person(db):
    from kollega.people.tests.factories import make_person

    return make_person


@pytest.fixture
def anna(make_person):
    return make_person("Anna Lindqvist", "anna")


@pytest.fixture
def bjorn(make_person):
    return make_person("Bjørn Hansen", "bjorn")


@pytest.fixture
def carla(make_person):
    return make_person("Carla Smith", "carla")


@pytest.fixture
def dag(make_person):
    return make_person("Dag Berg", "dag")


@pytest.fixture
def eva(make_person):
    return make_person("Eva Ek", "eva")


@pytest.fixture
def api_as(db):
    """`api_as(person)`: an API client with a fresh token of `person` (no CSRF needed)."""
    from kollega.api.services import create_token
    from kollega.api.tests.conftest import ApiClient

    def make(person, **client_options) -> ApiClient:
        _token, key = create_token(person, "tests")
        return ApiClient(key, **client_options)

    return make


class ServerDatabase:
    """The database of a real `kollega` subprocess: a SQLite file in its own data folder,
    or a fresh PostgreSQL database in the PostgreSQL pass (DATABASE_URL is set)."""

    def __init__(self, data_dir, url=None):
        self.data_dir = data_dir
        self.url = url
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "KOLLEGA_TESTING", "DEBUG"}
        }
        self.env.update(KOLLEGA_DATA_DIR=str(data_dir), DEBUG="false")
        if url:
            self.env["DATABASE_URL"] = url

    def query(self, sql, params=()):
        """Rows of one SQL statement, read from outside every Kollega process (`%s` params)."""
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql, params).fetchall()
        db = sqlite3.connect(self.data_dir / "kollega.sqlite3", timeout=20)
        try:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            db.close()


@pytest.fixture
def server_database(tmp_path):
    """A database for real server and worker processes, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ServerDatabase(tmp_path)
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"kollega_server_{uuid.uuid4().hex[:8]}"
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
    yield ServerDatabase(tmp_path, url.rsplit("/", 1)[0] + "/" + name)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
