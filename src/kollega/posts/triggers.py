"""Database triggers that keep `PostTag.last_activity_at` equal to its post's time.

- A new link takes its post's `last_activity_at` (a link whose post is not
  there yet, as when a restore loads the links first, keeps the time given).
- Every change of a post's `last_activity_at` is copied to its links.

So every write path (services, importers, the demo's bulk inserts, raw SQL
loads) stays consistent without knowing about the copy. Migration 0003 installs
them; `ensure()` runs after every `migrate` as well, because SQLite drops a
table's triggers when Django rebuilds the table for a later schema change.
"""

SQLITE = [
    """
    CREATE TRIGGER IF NOT EXISTS posts_post_tags_activity_insert
    AFTER INSERT ON posts_post_tags
    BEGIN
        UPDATE posts_post_tags SET last_activity_at = COALESCE(
            (SELECT last_activity_at FROM posts_post WHERE id = NEW.post_id),
            NEW.last_activity_at
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS posts_post_tags_activity_update
    AFTER UPDATE OF post_id ON posts_post_tags
    BEGIN
        UPDATE posts_post_tags SET last_activity_at = (
            SELECT last_activity_at FROM posts_post WHERE id = NEW.post_id
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS posts_post_activity_update
    AFTER UPDATE OF last_activity_at ON posts_post
    WHEN NEW.last_activity_at IS NOT OLD.last_activity_at
    BEGIN
        UPDATE posts_post_tags SET last_activity_at = NEW.last_activity_at
        WHERE post_id = NEW.id;
    END
    """,
]

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION posts_post_tags_activity() RETURNS trigger AS $$
    BEGIN
        NEW.last_activity_at := COALESCE(
            (SELECT last_activity_at FROM posts_post WHERE id = NEW.post_id),
            NEW.last_activity_at
        );
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS posts_post_tags_activity ON posts_post_tags",
    """
    CREATE TRIGGER posts_post_tags_activity BEFORE INSERT OR UPDATE OF post_id
    ON posts_post_tags FOR EACH ROW EXECUTE FUNCTION posts_post_tags_activity()
    """,
    """
    CREATE OR REPLACE FUNCTION posts_post_activity() RETURNS trigger AS $$
    BEGIN
        UPDATE posts_post_tags SET last_activity_at = NEW.last_activity_at
        WHERE post_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS posts_post_activity ON posts_post",
    """
    CREATE TRIGGER posts_post_activity AFTER UPDATE OF last_activity_at ON posts_post
    FOR EACH ROW WHEN (NEW.last_activity_at IS DISTINCT FROM OLD.last_activity_at)
    EXECUTE FUNCTION posts_post_activity()
    """,
]

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS posts_post_tags_activity_insert",
        "DROP TRIGGER IF EXISTS posts_post_tags_activity_update",
        "DROP TRIGGER IF EXISTS posts_post_activity_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS posts_post_activity ON posts_post",
        "DROP FUNCTION IF EXISTS posts_post_activity()",
        "DROP TRIGGER IF EXISTS posts_post_tags_activity ON posts_post_tags",
        "DROP FUNCTION IF EXISTS posts_post_tags_activity()",
    ],
}

BACKFILL = """
    UPDATE posts_post_tags SET last_activity_at = (
        SELECT last_activity_at FROM posts_post WHERE posts_post.id = posts_post_tags.post_id
    )
"""


def install(connection) -> None:
    """Create the triggers (idempotent) on SQLite or PostgreSQL."""
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(f"No activity triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        for sql in DROP.get(connection.vendor, []):
            cursor.execute(sql)


def ensure(using: str = "default", **_kwargs) -> None:
    """After `migrate`: put back any trigger a table rebuild dropped (SQLite)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "posts_post_tags" not in tables:
            return
        columns = connection.introspection.get_table_description(cursor, "posts_post_tags")
    if any(column.name == "last_activity_at" for column in columns):
        install(connection)
