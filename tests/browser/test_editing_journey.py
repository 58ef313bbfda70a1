"""Editing what one wrote, and seeing a similar question before asking, in a real browser."""

import pytest
from playwright.sync_api import expect

from kollega.limits import POST_BODY_MAX_CHARS
from kollega.posts.models import Edit, Post
from kollega.posts.services import post_on_board
from kollega.qa import services as qa
from kollega.qa.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_a_post_and_read_its_history(sign_in, anna, bjorn):
    post = post_on_board(anna, "Fika at three in the kitchen")
    page = sign_in(anna)
    page.goto(f"/posts/{post.pk}/")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Text").fill("Fika at four in the kitchen")
    page.get_by_role("button", name="Save changes").click()
    card = page.locator(f"#post-{post.pk}")
    expect(card).to_contain_text("Fika at four")

    colleague = sign_in(bjorn)
    colleague.goto(f"/posts/{post.pk}/")
    expect(colleague.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    colleague.get_by_role("link", name="edited").click()
    expect(colleague.get_by_role("heading", name="Edit history")).to_be_visible()
    expect(colleague.locator(".edit").first).to_contain_text("Fika at three in the kitchen")
    expect(colleague.locator(".edit").first).to_contain_text("Anna Lindqvist")


def test_refused_edits_say_why_and_change_nothing(sign_in, anna, bjorn):
    post = post_on_board(anna, "The budget meeting is on Monday")
    page = sign_in(anna)
    page.goto(f"/posts/{post.pk}/edit/")
    text = page.get_by_label("Text")
    save = page.get_by_role("button", name="Save changes")
    cases = [
        ("   ", "Write something first."),
        ("x" * (POST_BODY_MAX_CHARS + 1), "Too long"),
        ("Pay with 4111 1111 1111 1111", "payment card number"),
    ]
    for body, message in cases:
        text.fill(body)
        save.click()
        expect(page.get_by_role("alert").first).to_contain_text(message)
    post.refresh_from_db()
    assert post.body == "The budget meeting is on Monday" and post.edited_at is None

    # Someone else's post: no Edit link, and the edit page says who may.
    other = sign_in(bjorn)
    other.goto(f"/posts/{post.pk}/edit/")
    expect(other.get_by_text("Only the author may edit this post.")).to_be_visible()
    assert Post.objects.get(pk=post.pk).body == "The budget meeting is on Monday"
    assert not Edit.objects.exists()


def test_see_a_similar_question_before_asking_and_open_it(sign_in, anna, bjorn, carla):
    earlier = qa.ask_question(bjorn, "How long does opened red wine keep?", tags=["wine"])
    answer = qa.answer_question(carla, earlier, "Three to five days, corked, in the fridge.")
    qa.accept_answer(bjorn, answer)
    page = sign_in(anna)
    page.goto("/questions/ask/")
    page.get_by_label("Your question").press_sequentially("How long does red wine keep?")
    suggestion = page.locator("#similar-questions").get_by_role(
        "link", name="How long does opened red wine keep?"
    )
    expect(suggestion).to_be_visible()
    expect(page.locator("#similar-questions")).to_contain_text("1 answer")
    expect(page.locator("#similar-questions")).to_contain_text("Accepted answer")
    suggestion.click()
    expect(page.get_by_role("heading", name="How long does opened red wine keep?")).to_be_visible()
    assert Question.objects.count() == 1
