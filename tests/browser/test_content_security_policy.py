"""Under the Content-Security-Policy a real browser refuses nothing on our pages, and
every widget that runs script still works: the composer, the notifications badge
that polls, live search suggestions and filters, recommending, the language picker,
the "/" shortcut, the bookmarklet; pictures (avatars, photos) still show."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from kollega.communities.services import create_community, post_in_community
from kollega.content.blogs.services import write_entry
from kollega.content.bookmarks.services import save_bookmark
from kollega.content.wikis.attachments import attach_image
from kollega.content.wikis.services import create_page
from kollega.network.services import connect
from kollega.posts.services import post_on_board
from kollega.qa.services.answers import answer_question
from kollega.qa.services.asking import ask_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a violation looks like to the page (the DOM event, which Playwright's own
# scripts, outside the page's policy, can listen to) and in Chromium's console.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def watched(page):
    """The page, with every CSP or Permissions-Policy complaint and script error collected."""
    page.complaints = []
    page.on(
        "console",
        lambda m: (
            page.complaints.append(m.text)
            if re.search("Content.Security.Policy|Permissions.Policy", m.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: page.complaints.append(f"script error: {error}"))
    page.context.add_init_script(WATCH_VIOLATIONS)
    return page


def assert_nothing_refused(page, where=""):
    violations = page.evaluate("window.__violations || []")
    assert violations == [] and page.complaints == [], (where, violations, page.complaints)


def png(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_no_page_breaks_the_policy_and_pictures_still_show(sign_in, anna, bjorn):
    connect(anna, bjorn)
    bjorn.photo = png("bjorn.png")
    bjorn.save()
    post = post_on_board(bjorn, "Who has the key to the cellar? @anna #wine")
    question = ask_question(bjorn, "How long does an opened bottle keep?", tags=["wine"])
    answer_question(anna, question, "About five days in the fridge.")
    cellar = create_community(anna, "Cellar", "Everything about storage", tags=["wine"])
    post_in_community(anna, cellar, "Pinned reading for the cellar")
    entry = write_entry(anna, "Notes from the tasting", "We tried #wine.", publish=True)
    save_bookmark(anna, "https://example.org/wine", "Wine notes", tags=["wine"])
    policies = create_page(anna, None, "Policies", "All our policies.")
    create_page(anna, None, "Social media", "Be kind.", parent=policies)
    attach_image(anna, policies, png("chart.png"))

    a = watched(sign_in(anna))
    for path in (
        "/",
        bjorn.get_absolute_url(),
        "/people/",
        "/experts/?q=wine",
        "/network/",
        "/questions/",
        "/questions/overview/",
        question.get_absolute_url(),
        "/communities/",
        cellar.get_absolute_url(),
        "/blogs/",
        entry.get_absolute_url(),
        "/wiki/",
        policies.get_absolute_url(),
        "/bookmarks/",
        "/search/?q=wine",
        "/notifications/",
        f"/posts/{post.pk}/",
        "/me/edit/",
    ):
        a.goto(path)
        a.wait_for_load_state("networkidle")
        assert_nothing_refused(a, path)
        images = a.locator("img").all()
        assert images, path
        for image in images:
            image.scroll_into_view_if_needed()
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("img => img.naturalWidth") > 0, (path, image.get_attribute("src"))

    # A photo and a wiki attachment, each shown from its own address here.
    a.goto(bjorn.get_absolute_url())
    photo = a.locator(f"img[src*='{bjorn.photo.name}']").first
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") == 40
    a.goto(policies.get_absolute_url())
    chart = a.get_by_role("img", name="chart.png")
    expect(chart).to_have_js_property("complete", True)
    assert chart.evaluate("img => img.naturalWidth") == 40
    assert_nothing_refused(a)

    # The wiki tree indents a subpage by its depth, through a class now.
    a.goto("/wiki/")
    indents = a.locator(".wiki-tree li").evaluate_all(
        "items => items.map(li => parseFloat(getComputedStyle(li).paddingLeft))"
    )
    assert indents[0] < indents[1], indents


def test_the_widgets_work_under_the_policy(sign_in, anna, bjorn):
    connect(anna, bjorn)
    post_on_board(anna, "Cellar inventory is done")
    a = watched(sign_in(anna))
    a.goto("/")

    # The "/" shortcut and suggestions as one types (htmx).
    a.keyboard.press("/")
    box = a.get_by_role("searchbox", name="Search")
    expect(box).to_be_focused()
    box.press_sequentially("bjo", delay=50)
    expect(
        a.locator("#search-suggestions").get_by_role("link", name="Bjørn Hansen")
    ).to_be_visible()

    # The composer, and recommending a post without a reload (htmx).
    a.get_by_role("textbox", name="Status update").fill("Tasting on Friday #wine")
    a.get_by_role("button", name="Post", exact=True).click()
    expect(a.get_by_text("Posted.")).to_be_visible()
    b = watched(sign_in(bjorn))
    b.goto("/")
    card = b.locator("article.post", has_text="Tasting on Friday")
    card.get_by_role("button", name="Recommend").click()
    expect(card.get_by_role("button", name="Recommended · 1")).to_be_visible()

    # The notifications badge polls every 20 s; a fake clock skips the wait.
    a.clock.install()
    a.goto("/")
    expect(a.locator("#notifications-link .count")).to_have_count(0)
    post_on_board(bjorn, "A word for you, @anna")
    a.clock.fast_forward("00:21")
    expect(a.locator("#notifications-link .count")).to_have_text("1")

    # The people directory filters as one types (htmx, pushing the address).
    a.goto("/people/")
    a.get_by_label("Name or title").press_sequentially("bj", delay=50)
    expect(a).to_have_url(re.compile(r"q=bj"))

    # The bookmarklet is for other sites: clicking it here runs nothing, goes nowhere.
    a.goto("/bookmarks/")
    a.get_by_role("link", name="Save to Kollega").click()
    expect(a).to_have_url(re.compile(r"/bookmarks/$"))

    # The language picker sends its form as soon as a language is chosen.
    a.get_by_label("Language").select_option("sv")
    expect(a.locator("html")).to_have_attribute("lang", "sv")
    expect(a.get_by_label("Språk")).to_have_value("sv")

    assert_nothing_refused(a)
    assert_nothing_refused(b)


def test_the_sign_in_page_the_api_reference_and_the_admin_run_under_the_policy(
    browser, live_server, anna
):
    from kollega.people.tests.factories import PASSWORD

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        page = watched(context.new_page())
        page.goto("/login/")
        page.get_by_label("User name").fill(anna.user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
        page.goto("/api/v1/docs")
        expect(page.get_by_text("/api/v1/me").first).to_be_visible()
        assert_nothing_refused(page, "/api/v1/docs")

        anna.user.is_staff = anna.user.is_superuser = True
        anna.user.save()
        for path in ("/admin/", f"/admin/people/person/{anna.pk}/change/"):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert_nothing_refused(page, path)
        expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    finally:
        context.close()
