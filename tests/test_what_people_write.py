"""Limits on what people write (issue #16): every text a service takes is refused with a
clear message when it holds a NUL or (plain texts) a direction control, profile texts
have a length, a referral note is never cut, and nothing saved before is lost."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks import services as bookmarks
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis.models import Page
from kollega.network.models import Invitation
from kollega.people import services as people
from kollega.people.tests.factories import signed_in
from kollega.posts import services as posts
from kollega.posts.models import Comment, Post
from kollega.qa import services as qa
from kollega.qa.models import Answer, Question, Referral

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "NUL character (U+0000)"
DIRECTION_MESSAGE = "invisible direction controls"


def _refused(response, words: str) -> None:
    assert response.status_code == 400, response.content
    assert words in response.json()["detail"], response.json()


# --- NUL, refused by the one check every service runs ----------------------------------------


def test_a_nul_is_refused_in_every_text_the_api_takes_and_nothing_is_stored(api_as, anna, bjorn):
    a = api_as(anna)
    post = posts.post_on_board(anna, "Where is the wine cellar?")
    question = qa.ask_question(anna, "Which grapes keep?")
    community = communities.create_community(anna, "Wine", "About wine.")
    nul = "bad\x00text"
    attempts = {
        "/posts": {"body": nul},
        f"/posts/{post.pk}/comments": {"body": nul},
        "/questions": {"title": nul},
        "/questions?body": {"title": "A fine title", "body": nul},
        f"/questions/{question.pk}/answers": {"body": nul},
        f"/questions/{question.pk}/referrals": {"to": "bjorn", "note": nul},
        "/communities": {"name": nul},
        "/communities?description": {"name": "Beer", "description": nul},
        f"/communities/{community.slug}/posts": {"body": nul},
        "/blog-entries": {"title": nul, "body": "Text."},
        "/blog-entries?body": {"title": "Title", "body": nul},
        "/wiki/pages": {"title": nul, "body": "Text."},
        "/wiki/pages?body": {"title": "Page", "body": nul},
        "/bookmarks": {"url": "https://example.com/", "title": nul},
        "/bookmarks?notes": {"url": "https://example.com/", "notes": nul},
        "/invitations": {"username": "bjorn", "message": nul},
    }
    for path, body in attempts.items():
        _refused(a.post(path.split("?")[0], body), NUL_MESSAGE)
    _refused(a.patch("/me", {"about": nul}), NUL_MESSAGE)
    _refused(a.patch("/me", {"title": nul}), NUL_MESSAGE)
    assert Post.objects.count() == 2 and not Comment.objects.exists()  # the two made above
    assert Question.objects.count() == 1 and not Answer.objects.exists()
    assert not Referral.objects.exists() and Community.objects.count() == 1
    assert not BlogEntry.objects.exists() and not Page.objects.exists()
    assert not Bookmark.objects.exists() and not Invitation.objects.exists()
    anna.refresh_from_db()
    assert "\x00" not in anna.title + anna.about


def test_a_nul_in_a_bookmark_address_says_so_not_that_it_has_spaces(api_as, anna):
    refused = api_as(anna).post("/bookmarks", {"url": "https://example.com/a\x00b"})
    _refused(refused, NUL_MESSAGE)
    assert "spaces" not in refused.json()["detail"]
    with pytest.raises(ValidationError, match="control characters"):
        bookmarks.checked_url("https://example.com/a\x07b")
    with pytest.raises(ValidationError, match="spaces"):
        bookmarks.checked_url("https://example.com/a b")


# --- direction controls ---------------------------------------------------------------------


def test_direction_controls_are_refused_in_names_and_titles_but_kept_out_of_rendered_posts(
    api_as, anna
):
    a = api_as(anna)
    _refused(a.patch("/me", {"name": "Anna \u202eatsiuqdniL"}), DIRECTION_MESSAGE)
    _refused(a.post("/questions", {"title": "Who \u2066knows\u2069?"}), DIRECTION_MESSAGE)
    _refused(a.post("/communities", {"name": "\u202dWine"}), DIRECTION_MESSAGE)
    _refused(
        a.post("/bookmarks", {"url": "https://example.com/", "title": "\u202eevil"}),
        DIRECTION_MESSAGE,
    )
    anna.refresh_from_db()
    assert anna.name == "Anna Lindqvist"
    # A body keeps what was written (text pasted from a right-to-left document may carry
    # them) and renders without them; the marks U+200E/U+200F stay allowed.
    made = a.post("/posts", {"body": "\u202eevil \u200fmark"})
    assert made.status_code == 201
    assert made.json()["body"] == "\u202eevil \u200fmark"
    assert "\u202e" not in made.json()["body_html"] and "evil" in made.json()["body_html"]
    assert "\u200f" in made.json()["body_html"]
    people.update_profile(anna, title="Sommelier \u200e(wine)")  # a mark is fine


# --- profiles -------------------------------------------------------------------------------


def test_profile_texts_have_a_length_through_the_api_and_the_service(api_as, anna):
    people.update_profile(anna, about="Wine and cheese.", title="Sommelier")
    a = api_as(anna)
    _refused(a.patch("/me", {"about": "x" * 100_000}), "at most 4000")
    _refused(a.patch("/me", {"title": "x" * 1000}), "at most 150")
    _refused(a.patch("/me", {"languages": ["x" * 300]}), "at most 200")
    with pytest.raises(ValidationError, match="at most 4000"):
        people.update_profile(anna, about="x" * 4001)
    anna.refresh_from_db()
    assert (anna.about, anna.title) == ("Wine and cheese.", "Sommelier")
    assert a.patch("/me", {"about": "y" * 4000}).status_code == 200


def test_the_profile_form_refuses_direction_controls_and_a_long_text_with_a_message(anna):
    client = signed_in(anna)
    form = {"name": "Anna Lindqvist", "board_visibility": "organisation", "language": ""}
    refused = client.post("/me/edit/", {**form, "title": "Wine \u202eboss"})
    assert refused.status_code == 400
    assert DIRECTION_MESSAGE in refused.content.decode()
    too_long = client.post("/me/edit/", {**form, "about": "x" * 4001})
    assert too_long.status_code == 400 and "4000" in too_long.content.decode()
    anna.refresh_from_db()
    assert anna.title == "" and anna.about == ""


# --- referral notes -------------------------------------------------------------------------


def test_a_long_referral_note_is_refused_never_cut(api_as, anna, bjorn, carla):
    question = qa.ask_question(anna, "Which grapes keep?")
    note = "Bjørn kept a cellar for years. " * 12  # 372 characters
    _refused(
        api_as(carla).post(f"/questions/{question.pk}/referrals", {"to": "bjorn", "note": note}),
        "at most 300",
    )
    with pytest.raises(ValidationError, match="The note is too long: 371 characters"):
        qa.refer_question(carla, question, bjorn, note)
    assert not Referral.objects.exists()
    page = signed_in(carla).post(f"/questions/{question.pk}/refer/", {"to": "bjorn", "note": note})
    assert page.status_code == 400
    assert "The note is too long: 371 characters, at most 300." in page.content.decode()
    assert not Referral.objects.exists()
    kept = qa.refer_question(carla, question, bjorn, note[:300])
    assert kept.reason == note[:300].strip()


def test_text_rendered_before_loses_its_direction_controls_and_keeps_the_rest(anna):
    strip = importlib.import_module(
        "kollega.posts.migrations.0006_rendered_text_without_direction_controls"
    ).strip_direction_controls
    post = posts.post_on_board(anna, "Plain words.")
    reversed_html = "<p>\u202eevil \u2067x\u2069 \u200fmark</p>\n"
    Post.objects.filter(pk=post.pk).update(body="\u202eevil", body_html=reversed_html)
    comment = posts.comment_on_post(anna, post, "A comment.")
    strip(apps, None)
    post.refresh_from_db()
    assert post.body_html == "<p>evil x \u200fmark</p>\n" and post.body == "\u202eevil"
    assert Comment.objects.get(pk=comment.pk).body_html == "<p>A comment.</p>\n"


def test_the_web_forms_refuse_direction_controls_in_names_and_titles_with_a_message(anna):
    client = signed_in(anna)
    attempts = {
        "/communities/new/": {"name": "\u202eeniW", "description": "", "kind": "open"},
        "/wiki/new/": {"title": "\u202eeciloP", "body": "Text.", "summary": ""},
        "/bookmarks/save/": {
            "url": "https://example.com/",
            "title": "\u2066Travel\u2069",
            "audience": "private",
        },
        "/blogs/write/": {"title": "\u202eyraiD", "body": "Day one.", "action": "draft"},
    }
    for path, form in attempts.items():
        refused = client.post(path, form)
        assert refused.status_code == 400, path
        assert DIRECTION_MESSAGE in refused.content.decode(), path
    assert not Community.objects.exists() and not Page.objects.exists()
    assert not Bookmark.objects.exists() and not BlogEntry.objects.exists()


def test_long_suggested_reasons_are_shortened_where_the_cut_shows(anna, bjorn):
    question = qa.ask_question(anna, "Which grapes keep?")
    reasons = "; ".join(["answered a question about wine storage"] * 10)  # 398 characters
    (sent,) = qa.send_question(anna, question, [bjorn], {bjorn.pk: reasons})
    assert len(sent.reason) <= 300 and sent.reason.endswith(" a…")  # cut at a word
    assert reasons.startswith(sent.reason.removesuffix("…"))
