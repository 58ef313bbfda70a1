"""A manager keeps a project diary: write an entry, keep it as a draft, publish it;
it is on the blog and in colleagues' home streams, where one of them comments."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_keep_a_draft_publish_and_see_it_on_the_blog_and_in_the_stream(sign_in, anna, bjorn):
    a = sign_in(anna)
    a.get_by_role("link", name="Anna Lindqvist").first.click()
    a.get_by_role("link", name="Write an entry").click()
    a.get_by_label("Title").fill("Cellar move, week 1")
    a.get_by_label("Text").fill(
        "We start moving the cellar on Monday.\n\nThe plan, step by step, follows. #logistics"
    )
    a.get_by_label("Tags").fill("projects")
    # Enter in a field keeps a draft: the safe choice.
    a.get_by_label("Tags").press("Enter")
    expect(a.get_by_text("Saved as a draft: only you can see it.")).to_be_visible()
    expect(a.get_by_role("heading", level=1)).to_have_text("Cellar move, week 1")
    entry_url = a.url

    b = sign_in(bjorn)
    assert b.goto(entry_url).status == 404

    a.get_by_role("link", name="Edit").click()
    a.get_by_role("button", name="Publish now").click()
    expect(a.get_by_text("Published.", exact=True)).to_be_visible()
    a.get_by_role("link", name="Blog", exact=True).click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Anna Lindqvist's blog")
    expect(a.locator(".entries")).to_contain_text("Cellar move, week 1")
    a.get_by_role("link", name="Home", exact=True).click()
    expect(a.locator(".entry-summary")).to_contain_text("Cellar move, week 1")

    b.goto("/")
    b.locator(".entry-summary").get_by_role("link", name="Cellar move, week 1").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Cellar move, week 1")
    expect(b.locator(".blog-entry")).to_contain_text("The plan, step by step, follows.")
    b.get_by_label("Write a comment").fill("Good luck with the move!")
    b.get_by_role("button", name="Reply").click()
    expect(b.locator(".comments")).to_contain_text("Good luck with the move!")
