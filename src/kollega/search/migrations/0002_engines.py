"""The engine-specific part of the index: FTS5 on SQLite, a tsvector and GIN on PostgreSQL."""

from django.db import migrations


def install(apps, schema_editor):
    from kollega.search import postgres_fts, sqlite_fts

    backend = postgres_fts if schema_editor.connection.vendor == "postgresql" else sqlite_fts
    with schema_editor.connection.cursor() as cursor:
        backend.install(cursor)


def uninstall(apps, schema_editor):
    from kollega.search import postgres_fts, sqlite_fts

    backend = postgres_fts if schema_editor.connection.vendor == "postgresql" else sqlite_fts
    with schema_editor.connection.cursor() as cursor:
        backend.uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
