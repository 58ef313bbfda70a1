"""The Markdown renderer now leaves out direction controls (U+202A–U+202E, U+2066–U+2069),
so no text shows reversed (`kollega.markup`); this takes them out of the text rendered
before (posts, comments, answers and their comments, blog entries). The text as written
(`body`) keeps them, so re-rendering gives the same. Backwards nothing changes.
"""

import functools
import operator
import re

from django.db import migrations
from django.db.models import Q

DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
RENDERED = [("posts", "Post"), ("posts", "Comment"), ("qa", "Answer"), ("qa", "AnswerComment"),
            ("blogs", "BlogEntry")]  # fmt: skip


def strip_direction_controls(apps, schema_editor):
    holding = functools.reduce(
        operator.or_,
        (Q(body_html__contains=chr(c)) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]),
    )
    for app, name in RENDERED:
        model = apps.get_model(app, name)
        for pk, html in model.objects.filter(holding).values_list("pk", "body_html").iterator():
            model.objects.filter(pk=pk).update(body_html=DIRECTION_CONTROLS.sub("", html))


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0005_post_post_author_visibility"),
        ("qa", "0002_answer_answer_author_time"),
        ("blogs", "0001_initial"),
    ]

    operations = [migrations.RunPython(strip_direction_controls, migrations.RunPython.noop)]
