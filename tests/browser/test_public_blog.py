"""A visitor without an account reads a leader's public blog in a real browser, follows
its Atom feed link, and from the feed reaches the entry again: no sign-in, no cookie."""

import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from kollega.content.blogs import services as blogs
from kollega.guard.classification import Level
from kollega.people.services import set_public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_visitor_reads_the_public_blog_and_follows_the_feed(
    browser, live_server, settings, make_person, anna
):
    settings.KOLLEGA_PUBLIC_PAGES = True
    leader = set_public_pages(make_person("Lena Ledare", username="lena", title="CEO"), True)
    entry = blogs.write_entry(
        leader,
        "Where we are going",
        "Three things for next year.\n\nFirst, the north.",
        audience="public",
        classification=Level.OPEN,
        publish=True,
    )
    blogs.write_entry(leader, "Only for colleagues", "Internal.", publish=True)

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/public/lena/blog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Ledare's blog")
    expect(page.locator(".entries")).not_to_contain_text("Only for colleagues")
    page.get_by_role("link", name="Where we are going").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where we are going")
    expect(page.locator(".blog-entry")).to_contain_text("First, the north.")

    feed_link = page.locator("#public-feed-link")
    href = feed_link.get_attribute("href")
    answer = page.request.get(href)
    assert answer.ok and answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.body())
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links == [f"{live_server.url}/public/lena/blog/{entry.pk}/"]

    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Where we are going")
    page.get_by_role("link", name="Profile").click()
    expect(page.locator(".profile")).to_contain_text("CEO")
    assert context.cookies() == []  # nothing of a session was given to the visitor
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    context.close()
