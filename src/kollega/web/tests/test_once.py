"""Forms sent twice act once: the one-time form token (`kollega.web.once`)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kollega.people.tests.factories import signed_in
from kollega.posts.models import Comment, Post
from kollega.posts.services import post_on_board
from kollega.qa.models import Answer, Question
from kollega.qa.tests.factories import ask
from kollega.web.models import SentForm
from kollega.web.once import forget_sent_forms

pytestmark = pytest.mark.django_db


def form_token(client: Client, page: str, action: str) -> str:
    """The one-time token of the form posting to `action` on `page`, as a browser sees it."""
    html = client.get(page).content.decode()
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, f"no form to {action} on {page}"
    return re.search(r'name="form_once" value="([^"]+)"', form.group(0)).group(1)


def test_the_composer_sent_twice_posts_once(anna):
    client = signed_in(anna)
    once = form_token(client, "/", "/posts/new/")
    form = {"body": "Fika at three", "audience": "organisation", "form_once": once}
    first = client.post("/posts/new/", form, HTTP_REFERER="/")
    second = client.post("/posts/new/", form, HTTP_REFERER="/")
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Post.objects.filter(body="Fika at three").count() == 1


def test_each_rendering_of_the_composer_has_its_own_token(anna):
    client = signed_in(anna)
    assert form_token(client, "/", "/posts/new/") != form_token(client, "/", "/posts/new/")
    for body in ("one", "two"):
        once = form_token(client, "/", "/posts/new/")
        client.post("/posts/new/", {"body": body, "audience": "organisation", "form_once": once})
    assert Post.objects.count() == 2


def test_a_comment_sent_twice_is_added_once(anna, bjorn):
    post = post_on_board(anna, "Lunch?")
    client = signed_in(bjorn)
    action = f"/posts/{post.pk}/comments/"
    once = form_token(client, f"/posts/{post.pk}/", action)
    for _ in range(2):
        assert client.post(action, {"body": "Yes!", "form_once": once}).status_code == 302
    assert Comment.objects.count() == 1


def test_an_answer_sent_twice_is_posted_once(anna, bjorn):
    question = ask(anna)
    client = signed_in(bjorn)
    page = question.get_absolute_url()
    action = f"/questions/{question.pk}/answer/"
    once = form_token(client, page, action)
    for _ in range(2):
        response = client.post(action, {"body": "Three to five days.", "form_once": once})
        assert response.status_code == 302 and response["Location"] == page
    assert Answer.objects.count() == 1


def test_a_question_asked_twice_is_asked_once_and_both_lead_to_it(anna):
    client = signed_in(anna)
    once = re.search(
        r'name="form_once" value="([^"]+)"', client.get("/questions/ask/").content.decode()
    ).group(1)
    form = {"title": "Where is the projector?", "body": "", "audience": "organisation"}
    first = client.post("/questions/ask/", {**form, "form_once": once})
    second = client.post("/questions/ask/", {**form, "form_once": once})
    assert Question.objects.count() == 1
    assert first["Location"] == second["Location"] == Question.objects.get().get_absolute_url()


def test_a_refused_form_can_be_corrected_and_sent_with_its_token(anna):
    client = signed_in(anna)
    once = form_token(client, "/", "/posts/new/")
    empty = client.post(
        "/posts/new/", {"body": "  ", "audience": "organisation", "form_once": once}
    )
    assert empty.status_code == 400
    fixed = client.post("/posts/new/", {"body": "Now with words", "form_once": once})
    assert fixed.status_code == 302
    assert Post.objects.count() == 1


def test_the_same_form_filled_in_anew_after_going_back_is_a_new_post(anna):
    client = signed_in(anna)
    once = form_token(client, "/", "/posts/new/")
    client.post(
        "/posts/new/", {"body": "First thought", "audience": "organisation", "form_once": once}
    )
    # Back to the page as it was (the same token), a different text: not a repeat.
    client.post(
        "/posts/new/", {"body": "Second thought", "audience": "organisation", "form_once": once}
    )
    assert sorted(Post.objects.values_list("body", flat=True)) == [
        "First thought",
        "Second thought",
    ]


def test_a_repeat_while_the_first_is_still_running_creates_nothing(anna):
    client = signed_in(anna)
    form = {"body": "again", "audience": "organisation", "form_once": "running"}
    first = client.post("/posts/new/", form)
    assert first.status_code == 302
    SentForm.objects.update(result_url="")  # as if the first were still at work
    response = client.post("/posts/new/", form, HTTP_REFERER="/people/anna/")
    assert response.status_code == 302 and response["Location"] == "/people/anna/"
    assert Post.objects.count() == 1
    assert "still being handled" in client.get("/people/anna/").content.decode()


def test_tokens_belong_to_their_person(anna, bjorn):
    form = {"body": "Same words", "audience": "organisation", "form_once": "shared-value"}
    signed_in(anna).post("/posts/new/", form)
    signed_in(bjorn).post("/posts/new/", form)
    assert Post.objects.count() == 2


def test_a_form_without_a_token_works_as_before(anna):
    client = signed_in(anna)
    for _ in range(2):
        assert (
            client.post("/posts/new/", {"body": "Scripted", "audience": "organisation"}).status_code
            == 302
        )
    assert Post.objects.count() == 2


def test_tokens_are_forgotten_after_a_day(anna):
    SentForm.objects.create(person=anna, token="old:1", sent_at=timezone.now() - timedelta(days=2))
    SentForm.objects.create(person=anna, token="new:2")
    assert forget_sent_forms() == 1
    assert list(SentForm.objects.values_list("token", flat=True)) == ["new:2"]


def test_every_page_loads_the_script_that_disables_a_sent_forms_buttons(anna):
    html = signed_in(anna).get("/").content.decode()
    assert re.search(r'<script src="[^"]*kollega/submit-once\.js[^"]*" defer></script>', html)
