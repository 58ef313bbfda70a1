"""In a real browser: choosing by keyboard which notifications come by mail."""

import pytest
from playwright.sync_api import expect

from kollega.notifications.services import mail_choice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_mail_for_mentions_at_once_by_keyboard(sign_in, anna):
    page = sign_in(anna)
    page.goto("/settings/security/")
    page.get_by_role("link", name="Mail", exact=True).click()
    expect(page.get_by_role("heading", name="Mail")).to_be_visible()

    in_digest = page.get_by_role("radio", name="Mention: In my digest")
    expect(in_digest).to_be_checked()
    in_digest.focus()
    page.keyboard.press("ArrowLeft")  # the radio group's previous choice: at once
    at_once = page.get_by_role("radio", name="Mention: At once")
    expect(at_once).to_be_checked()
    expect(at_once).to_be_focused()
    page.keyboard.press("Enter")  # sends the form

    expect(page.get_by_text("Your mail settings are saved.")).to_be_visible()
    expect(page.get_by_role("radio", name="Mention: At once")).to_be_checked()
    assert mail_choice(anna, "mention") == "at_once"
    assert mail_choice(anna, "question_sent") == "at_once"  # the others kept theirs
    assert mail_choice(anna, "comment") == "digest"
