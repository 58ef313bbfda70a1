"""Posts get a classification (Internal for everything written so far).

SQLite adds a NOT NULL column by rebuilding the table, which the post-tag
triggers (`kollega.posts.triggers`) refer to: they are dropped for the rebuild
and installed again after it.
"""

from django.db import migrations, models

from kollega.posts import triggers


def install_triggers(apps, schema_editor) -> None:
    triggers.install(schema_editor.connection)


def drop_triggers(apps, schema_editor) -> None:
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0006_rendered_text_without_direction_controls"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, install_triggers),
        migrations.AddField(
            model_name="post",
            name="classification",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "Open"),
                    (1, "Internal"),
                    (2, "Confidential"),
                    (3, "Strictly confidential"),
                ],
                default=1,
                verbose_name="classification",
            ),
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
