"""Two colleagues edit the same wiki page at once in two browsers: the second is told,
keeps their text, merges and saves; then an old revision is restored."""

import pytest
from playwright.sync_api import expect

from kollega.content.wikis import services
from kollega.content.wikis.models import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = "Be kind.\nBe clear.\nAsk before posting photos of colleagues."


def test_two_sessions_edit_one_page_and_an_old_revision_is_restored(sign_in, anna, bjorn):
    page = services.create_page(anna, None, "Social media policy", DRAFT)

    a = sign_in(anna)
    b = sign_in(bjorn)
    a.goto("/wiki/")
    a.locator(".wiki-tree").get_by_role("link", name="Social media policy").click()
    a.get_by_role("link", name="Edit").click()
    b.goto(page.get_absolute_url())
    b.get_by_role("link", name="Edit").click()

    a.get_by_label("Text").fill("Welcome, everyone.\n" + DRAFT)
    a.get_by_label("What did you change? (optional)").fill("A greeting")
    a.get_by_role("button", name="Save").click()
    expect(a.get_by_text("Your changes are saved.")).to_be_visible()

    bjorns_text = DRAFT + "\nQuestions go to the comms team."
    b.get_by_label("Text").fill(bjorns_text)
    b.get_by_role("button", name="Save").click()
    expect(
        b.get_by_role("heading", name="Someone saved this page while you were editing")
    ).to_be_visible()
    expect(b.locator("#their-version")).to_contain_text("Welcome, everyone.")
    expect(b.get_by_label("Text")).to_have_value(bjorns_text)
    assert Page.objects.get(pk=page.pk).current_revision.number == 2

    b.get_by_role("button", name="Merge with their version").click()
    expect(b.get_by_text("Merged with revision 2 without conflicts.")).to_be_visible()
    expect(b.get_by_label("Text")).to_have_value(
        "Welcome, everyone.\n" + DRAFT + "\nQuestions go to the comms team."
    )
    b.get_by_role("button", name="Save").click()
    expect(b.get_by_text("Your changes are saved.")).to_be_visible()
    body = b.locator(".wiki-page .body")
    expect(body).to_contain_text("Welcome, everyone.")
    expect(body).to_contain_text("Questions go to the comms team.")

    a.goto(page.history_url)
    expect(a.locator(".wiki-history tbody tr")).to_have_count(3)
    a.get_by_label("Compare from revision 1").check()
    a.get_by_label("Compare to revision 3").check()
    a.get_by_role("button", name="Compare selected").click()
    expect(a.locator(".wiki-diff tr.insert")).to_have_count(2)

    a.goto(page.history_url)
    a.get_by_role("button", name="Restore revision 1").click()
    expect(a.get_by_text("Revision 1 is restored as revision 4.")).to_be_visible()
    a.goto(page.get_absolute_url())
    expect(a.locator(".wiki-page .body")).not_to_contain_text("Welcome, everyone.")
    expect(a.locator(".wiki-page .body")).to_contain_text("Ask before posting photos")
