"""Post tags carry their post's activity time, kept by the database.

The auto-created link table becomes the explicit `PostTag` model (same table,
same columns, so the first step changes Django's state only), gains
`last_activity_at` (filled from the posts) and a (tag, activity) index; the
triggers in `kollega.posts.triggers` keep the copy equal from then on.
"""

import django.db.models.deletion
from django.db import migrations, models

from kollega.posts import triggers


def add_triggers(apps, schema_editor) -> None:
    schema_editor.execute(triggers.BACKFILL)
    triggers.install(schema_editor.connection)


def drop_triggers(apps, schema_editor) -> None:
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0002_community_posts"),
        ("tags", "0001_initial"),
    ]

    operations = [
        # The table Django made for Post.tags, now a model of its own: state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PostTag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="posts.post"
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="tags.tag"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "posts_post_tags",
                        "unique_together": {("post", "tag")},
                    },
                ),
                migrations.AlterField(
                    model_name="post",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="posts",
                        through="posts.PostTag",
                        to="tags.tag",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="posttag",
            name="last_activity_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
        migrations.AddIndex(
            model_name="posttag",
            index=models.Index(
                fields=["tag", "-last_activity_at", "-post"], name="post_tag_activity"
            ),
        ),
    ]
