"""Editing posts and comments: only the author, checked as new text is, with history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.limits import POST_BODY_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.people.tests.factories import signed_in
from kollega.posts import editing
from kollega.posts.models import Edit, Post
from kollega.posts.services import comment_on_post, post_on_board
from kollega.search.services import search

CARD = "pay with 4111 1111 1111 1111"


def mentions_of(person) -> int:
    return Notification.objects.filter(recipient=person, kind=Notification.Kind.MENTION).count()


def test_edit_keeps_the_old_text_and_rereads_tags_and_mentions(anna, bjorn, carla):
    post = post_on_board(anna, "Tasting #porter with @bjorn on Friday")
    assert mentions_of(bjorn) == 1
    editing.edit_post(anna, post, "Tasting #stout with @bjorn and @carla on Friday")
    post = Post.objects.get(pk=post.pk)
    assert "stout" in post.body and post.edited_at is not None
    assert [t.name for t in post.tags.all()] == ["stout"]
    # Carla is told once; Bjørn, mentioned before, is not told again.
    assert mentions_of(bjorn) == 1 and mentions_of(carla) == 1
    editing.edit_post(anna, post, "Tasting #stout with @bjorn and @carla on Saturday")
    assert mentions_of(carla) == 1
    assert list(Edit.objects.filter(object_id=post.pk).values_list("body", "tags")) == [
        ("Tasting #stout with @bjorn and @carla on Friday", "stout"),
        ("Tasting #porter with @bjorn on Friday", "porter"),
    ]


def test_the_search_index_follows_an_edit(anna, bjorn):
    post = post_on_board(anna, "Our lambic order arrives Tuesday")
    editing.edit_post(anna, post, "Our gueuze order arrives Tuesday")
    assert search(bjorn, "gueuze").count == 1
    assert search(bjorn, "lambic").count == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [("   ", "empty"), ("x" * (POST_BODY_MAX_CHARS + 1), "too_long"), (CARD, "guard_block")],
)
def test_a_refused_edit_changes_nothing(anna, body, code):
    post = post_on_board(anna, "The original text")
    with pytest.raises(ValidationError) as refused:
        editing.edit_post(anna, post, body)
    assert refused.value.code == code
    post.refresh_from_db()
    assert post.body == "The original text" and post.edited_at is None
    assert not Edit.objects.exists()


def test_only_the_author_may_edit_a_post_or_comment(anna, bjorn):
    post = post_on_board(anna, "Mine")
    comment = comment_on_post(anna, post, "Also mine")
    with pytest.raises(PermissionDenied):
        editing.edit_post(bjorn, post, "Hijacked")
    with pytest.raises(PermissionDenied):
        editing.edit_comment(bjorn, comment, "Hijacked")
    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.body == "Mine" and comment.body == "Also mine"


def test_a_comment_edit_notifies_only_new_mentions(anna, bjorn, carla):
    post = post_on_board(anna, "Plans")
    comment = comment_on_post(bjorn, post, "Ask @anna")
    editing.edit_comment(bjorn, comment, "Ask @anna or @carla")
    comment.refresh_from_db()
    assert comment.edited_at and "carla" in comment.body_html
    assert mentions_of(carla) == 1
    assert Edit.objects.get(object_id=comment.pk, kind="comment").body == "Ask @anna"


def test_edit_page_shows_edited_and_the_history(anna, bjorn):
    post = post_on_board(anna, "First words")
    client = signed_in(anna)
    response = client.post(f"/posts/{post.pk}/edit/", {"body": "Second words"})
    assert response.status_code == 302
    page = signed_in(bjorn).get(f"/posts/{post.pk}/").content.decode()
    assert "Second words" in page and f"/history/post/{post.pk}/" in page
    history = signed_in(bjorn).get(f"/history/post/{post.pk}/").content.decode()
    assert "First words" in history and "Anna Lindqvist" in history


def test_edit_page_refuses_others_and_blocked_text_clearly(anna, bjorn):
    post = post_on_board(anna, "First words")
    response = signed_in(bjorn).post(f"/posts/{post.pk}/edit/", {"body": "Mine now"})
    assert response.status_code == 403
    assert "Only the author may edit this post." in response.content.decode()
    response = signed_in(anna).post(f"/posts/{post.pk}/edit/", {"body": CARD})
    assert response.status_code == 400 and "payment card number" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "First words"


def test_history_is_hidden_from_who_may_not_see_the_post(anna, bjorn):
    post = post_on_board(anna, "Only my network", audience="network")
    editing.edit_post(anna, post, "Only my network, edited")
    assert signed_in(bjorn).get(f"/history/post/{post.pk}/").status_code == 404


def test_api_patch_edits_a_post_and_lists_its_history(anna, bjorn, api_as):
    post = post_on_board(anna, "Before")
    api = api_as(anna)
    response = api.patch(f"/posts/{post.pk}", {"body": "After"})
    assert response.status_code == 200 and response.json()["edited_at"]
    assert api_as(bjorn).patch(f"/posts/{post.pk}", {"body": "Bjørn's"}).status_code == 403
    assert api.patch(f"/posts/{post.pk}", {"body": ""}).status_code == 400
    edits = api_as(bjorn).get(f"/edits/post/{post.pk}").json()
    assert [e["body"] for e in edits["items"]] == ["Before"]


def test_a_deleted_comment_takes_its_history_with_it(anna, bjorn):
    from kollega.posts.services import delete_comment

    post = post_on_board(anna, "Plans")
    comment = comment_on_post(bjorn, post, "Friday?")
    editing.edit_comment(bjorn, comment, "Saturday?")
    delete_comment(bjorn, comment)
    assert not Edit.objects.filter(kind="comment").exists()


def test_a_questions_post_is_edited_on_the_question_page(anna):
    from kollega.qa.tests.factories import ask

    question = ask(anna, "Which glass for a porter?")
    response = signed_in(anna).get(f"/posts/{question.post_id}/edit/")
    assert response.status_code == 302 and response.url == f"/questions/{question.pk}/edit/"
    with pytest.raises(ValidationError):
        editing.edit_post(anna, question.post, "Just the text")


def test_api_patch_edits_a_comment_under_its_own_post_only(anna, bjorn, api_as):
    post = post_on_board(anna, "Plans")
    other = post_on_board(anna, "Other plans")
    comment = comment_on_post(bjorn, post, "Friday?")
    url = f"/posts/{post.pk}/comments/{comment.pk}"
    response = api_as(bjorn).patch(url, {"body": "Saturday?"})
    assert response.status_code == 200 and response.json()["edited_at"]
    assert api_as(anna).patch(url, {"body": "Anna's"}).status_code == 403
    assert api_as(bjorn).patch(url, {"body": CARD}).status_code == 400
    mismatched = f"/posts/{other.pk}/comments/{comment.pk}"
    assert api_as(bjorn).patch(mismatched, {"body": "Sunday?"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Saturday?"
    edits = api_as(anna).get(f"/edits/comment/{comment.pk}").json()["items"]
    assert [e["body"] for e in edits] == ["Friday?"]
