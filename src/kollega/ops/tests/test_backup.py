"""`kollega backup` and `kollega restore`: a round trip gives back the same rows."""

import hashlib

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from kollega.people.models import Person
from kollega.posts.models import Comment, Post
from kollega.posts.services import comment_on_post, post_on_board
from kollega.tags.models import Tag


def fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the key tables, in a stable order."""
    tables = {
        "users": User.objects.order_by("pk").values_list("pk", "username", "password"),
        "people": Person.objects.order_by("pk").values_list("pk", "user_id", "name"),
        "posts": Post.objects.order_by("pk").values_list(
            "pk", "author_id", "board_owner_id", "body", "body_html", "created_at"
        ),
        "comments": Comment.objects.order_by("pk").values_list("pk", "post_id", "body"),
        "tags": Tag.objects.order_by("pk").values_list("pk", "name"),
    }
    result = {}
    for name, rows in tables.items():
        rows = list(rows)
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        result[name] = (len(rows), digest)
    return result


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row(tmp_path, anna, bjorn, capsys):
    for n in range(5):
        post = post_on_board(anna, f"Post {n} about #backups — åäö ✓", board_owner=bjorn)
        comment_on_post(bjorn, post, f"Comment on {n} for @anna")
    before = fingerprint()
    assert before["posts"][0] == 5 and before["comments"][0] == 5

    path = tmp_path / f"kollega-{connection.vendor}.backup"
    call_command("backup", str(path))
    assert path.stat().st_size > 0
    assert "Backed up to" in capsys.readouterr().out

    # Damage after the backup: deleted posts, a changed name, a new post.
    Post.objects.filter(body__startswith="Post 1").delete()
    Person.objects.filter(pk=anna.pk).update(name="Someone Else")
    post_on_board(bjorn, "Written after the backup")
    assert fingerprint() != before

    call_command("restore", str(path), interactive=False)
    connection.close()  # a fresh connection sees the restored database
    assert fingerprint() == before
    # The restored database still works: new rows get new keys.
    post = post_on_board(bjorn, "Written after the restore")
    assert post.pk > max(pk for pk in Post.objects.exclude(pk=post.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_restoring_a_missing_file_is_an_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Restore failed"):
        call_command("restore", str(tmp_path / "missing.backup"), interactive=False)
