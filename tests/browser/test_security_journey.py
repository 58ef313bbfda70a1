"""In a real browser: a double click posts once, and the security page works by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from kollega.api.models import ApiToken
from kollega.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_sent_form_cannot_be_sent_again_while_its_answer_is_on_the_way(sign_in, anna):
    page = sign_in(anna)
    sent = []
    page.context.on(
        "request",
        lambda r: sent.append(r.url) if r.method == "POST" and "/posts/new/" in r.url else None,
    )
    composer = page.locator("form.composer-form")
    # The answer opens in another tab, so this page stays as it was when the form left.
    composer.evaluate("form => { form.target = '_blank'; }")
    page.get_by_role("textbox", name="Status update").fill("Fika at three, sent once")
    button = page.get_by_role("button", name="Post", exact=True)
    with page.context.expect_page() as answer:
        button.click()
    expect(answer.value.get_by_text("Posted.")).to_be_visible()
    expect(button).to_be_disabled()
    # Pressing again (Enter in the form, a script) sends nothing more either.
    composer.evaluate("form => form.requestSubmit()")
    page.wait_for_timeout(500)
    assert len(sent) == 1
    assert Post.objects.filter(body="Fika at three, sent once").count() == 1


def test_creating_and_revoking_a_token_by_keyboard(sign_in, anna):
    page = sign_in(anna)
    page.goto("/people/anna/")
    page.get_by_role("link", name="Sign-in and tokens").click()
    expect(page.get_by_role("heading", name="Where I am signed in")).to_be_visible()
    expect(page.get_by_text("This browser")).to_be_visible()

    page.get_by_label("What is it for?").focus()
    page.keyboard.type("Keyboard script")
    page.keyboard.press("Tab")  # the expiry
    page.keyboard.press("Tab")  # the first scope choice: read only (checked)
    expect(page.get_by_label("Read only")).to_be_focused()
    page.keyboard.press("Enter")  # sends the form
    key = page.get_by_label("New token").input_value()
    assert re.fullmatch(r"kol_[\w-]+", key)
    token = ApiToken.objects.get()
    assert token.name == "Keyboard script" and token.read_only and token.expires_at

    revoke = page.get_by_role("button", name="Revoke Keyboard script")
    revoke.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("is revoked")).to_be_visible()
    assert ApiToken.objects.count() == 0
