"""In a real browser: choosing a weekly digest and seeing it as it would go out now."""

import pytest
from playwright.sync_api import expect

from kollega.digests.services import digest_choice
from kollega.qa.services import ask_question, send_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_weekly_digest_and_opening_its_preview(sign_in, anna, bjorn):
    send_question(anna, ask_question(anna, "Which yeast for a saison?"), [bjorn])
    page = sign_in(bjorn)
    page.goto("/settings/mail/")

    daily = page.get_by_role("radio", name="Daily")
    expect(daily).to_be_checked()
    daily.focus()
    page.keyboard.press("ArrowDown")  # the next choice of the group: weekly
    expect(page.get_by_role("radio", name="Weekly, on Mondays")).to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your mail settings are saved.")).to_be_visible()
    assert digest_choice(type(bjorn).objects.get(pk=bjorn.pk)) == "weekly"

    page.get_by_role("link", name="See my digest as it would go out now").click()
    expect(page.get_by_role("heading", name="My digest as it would go out now")).to_be_visible()
    expect(page.get_by_role("link", name="Weekly")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Your weekly Kollega digest: 1 item")).to_be_visible()
    mail = page.frame_locator("iframe[title='The digest mail']")
    expect(mail.get_by_role("heading", name="Questions waiting for you")).to_be_visible()
    expect(mail.get_by_role("link", name="Which yeast for a saison?")).to_be_visible()
