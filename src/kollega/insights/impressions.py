"""Recording that people were shown posts: one row per person, post and day at most."""

from django.utils import timezone

from kollega.insights.models import Impression


def record_impressions(person, posts) -> None:
    """Note that `person` was shown `posts` today (not their own), in one INSERT.

    Rows already there for today are skipped by the database (ignore_conflicts),
    so a stream page reloaded all day costs one small insert and adds nothing.
    """
    day = timezone.localdate()
    rows = [
        Impression(person_id=person.pk, post_id=post.pk, day=day)
        for post in posts
        if post.author_id != person.pk
    ]
    if rows:
        Impression.objects.bulk_create(rows, ignore_conflicts=True)
