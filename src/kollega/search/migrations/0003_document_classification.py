"""Search documents carry their thing's classification level, for the badge on a hit.

Nullable and without a default, so SQLite adds the column in place (no table
rebuild that would drop the full-text triggers). Documents indexed before it
show no badge until `kollega reindex` rebuilds them; visibility never reads it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_engines"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="classification",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
