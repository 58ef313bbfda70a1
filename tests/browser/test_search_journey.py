"""Search in a real browser: a colleague found by part of a name as you type, a topic
searched from the header box, and the results narrowed to one community."""

import pytest
from playwright.sync_api import expect

from kollega.communities.services import create_community, join_community, post_in_community
from kollega.network.services import connect
from kollega.posts.services import post_on_board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suggestions_for_a_colleague_then_a_topic_filtered_by_community(
    sign_in, anna, bjorn, carla
):
    connect(anna, bjorn)
    bakers = create_community(carla, "Sourdough bakers")
    join_community(bjorn, bakers)
    post_in_community(bjorn, bakers, "My sourdough starter doubled overnight")
    post_on_board(carla, "Sourdough pancakes for Friday breakfast")

    a = sign_in(anna)
    box = a.get_by_role("searchbox", name="Search")
    a.keyboard.press("/")
    expect(box).to_be_focused()
    box.press_sequentially("bjo", delay=50)
    suggestion = a.locator("#search-suggestions").get_by_role("link", name="Bjørn Hansen")
    expect(suggestion).to_be_visible()

    box.fill("")
    box.press_sequentially("sourd", delay=50)
    expect(
        a.locator("#search-suggestions").get_by_role("link", name="Sourdough bakers")
    ).to_be_visible()
    box.press_sequentially("ough", delay=30)
    box.press("Enter")

    expect(a.get_by_role("heading", level=1)).to_have_text("Search")
    expect(a.get_by_role("status")).to_have_text("3 results")
    posts = a.get_by_role("region", name="Posts")
    # Bjørn is Anna's contact: his post comes before Carla's.
    expect(posts.get_by_role("listitem").first).to_contain_text("starter doubled")
    expect(a.get_by_role("region", name="Communities")).to_contain_text("Sourdough bakers")

    a.get_by_role("complementary", name="Filter the results").get_by_role(
        "link", name="Sourdough bakers"
    ).click()
    expect(a.get_by_role("status")).to_have_text("2 results")
    expect(a.locator("#search-results")).not_to_contain_text("pancakes")
    expect(a).to_have_url(f"{a.url.split('?')[0]}?q=sourdough&community={bakers.slug}")
    a.get_by_role("link", name="Remove Community: sourdough-bakers").click()
    expect(a.get_by_role("status")).to_have_text("3 results")
