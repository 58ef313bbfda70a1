"""The foundation journey in a real browser: a post on a colleague's board
reaches the board owner and a mentioned colleague; a reply lifts the thread."""

import re

import pytest
from playwright.sync_api import expect

from kollega.network.services import connect
from kollega.posts.services import post_on_board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_post_on_a_board_mentioning_a_colleague_reaches_both_and_a_reply_lifts_it(
    sign_in, anna, bjorn, carla
):
    connect(anna, bjorn)
    post_on_board(bjorn, "An older thread about #brewing")
    post_on_board(carla, "Something else that happened later")

    a = sign_in(anna)
    a.goto("/people/bjorn/")
    a.get_by_label("Write on Bjørn Hansen's board").fill(
        "Who knows how long an opened bottle keeps? @carla might #wine"
    )
    a.get_by_role("button", name="Post", exact=True).click()
    expect(a.get_by_text("Posted.")).to_be_visible()
    # Two newer threads push the question down Anna's stream: only the reply lifts it.
    post_on_board(bjorn, "A newer thread about #hops")
    post_on_board(carla, "The newest thread of all")
    a.goto("/")
    posts = a.locator("article.post")
    expect(posts.nth(0)).to_contain_text("The newest thread of all")
    expect(posts.nth(1)).to_contain_text("A newer thread about #hops")
    expect(posts.nth(2)).to_contain_text("Who knows how long an opened bottle keeps?")

    b = sign_in(bjorn)
    expect(b.locator("#notifications-link .count")).to_have_text("1")
    b.goto("/notifications/")
    expect(b.get_by_role("link", name="Anna Lindqvist posted on your board")).to_be_visible()
    c = sign_in(carla)
    c.goto("/notifications/")
    expect(c.get_by_role("link", name="Anna Lindqvist mentioned you")).to_be_visible()

    b.get_by_role("link", name="Anna Lindqvist posted on your board").click()
    b.get_by_label("Write a comment").fill("About five days in the fridge, @anna")
    b.get_by_role("button", name="Reply").click()
    expect(b.locator(".comments")).to_contain_text("About five days in the fridge")

    a.goto("/")
    first = posts.first
    expect(first).to_contain_text("Who knows how long an opened bottle keeps?")
    expect(posts.nth(1)).to_contain_text("The newest thread of all")
    expect(first).to_contain_text("About five days in the fridge")
    expect(first.get_by_role("link", name="@carla")).to_have_attribute(
        "href", re.compile(r"/people/carla/$")
    )


def test_new_activity_is_announced_without_a_reload_and_keyboard_reaches_search(
    sign_in, anna, bjorn
):
    post_on_board(anna, "My first post")
    a = sign_in(anna)
    a.keyboard.press("/")
    expect(a.locator("#quick-q")).to_be_focused()
    # The page polls for new activity every 15 s; a fake clock skips the wait.
    a.clock.install()
    a.goto("/")
    post_on_board(bjorn, "A new thread while Anna is reading")
    a.clock.fast_forward("00:16")
    banner = a.get_by_role("link", name=re.compile("1 thread with new activity"))
    expect(banner).to_be_visible()
    banner.click()
    expect(a.locator("article.post").first).to_contain_text("A new thread while Anna is reading")


def test_on_a_phone_every_menu_link_is_on_screen_and_the_page_does_not_scroll_sideways(
    sign_in, anna
):
    from kollega.communities.services import create_community, post_in_community

    long_word = "https://intranet.example/" + "a-very-long-path/" * 8
    post_on_board(anna, f"A post with a long unbroken link {long_word}")
    cellar = create_community(anna, "Cellar", "Everything about storage")
    post_in_community(anna, cellar, f"Pinned reading: {long_word}")
    a = sign_in(anna)
    a.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", "/questions/", "/people/", cellar.get_absolute_url(), "/wiki/"):
        a.goto(path)
        width = a.evaluate("window.innerWidth")
        rights = a.locator("header nav a").evaluate_all(
            "links => links.map(l => l.getBoundingClientRect().right)"
        )
        assert rights and max(rights) <= width, path
        assert a.evaluate("document.documentElement.scrollWidth") <= width, path
