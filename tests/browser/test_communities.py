"""A restricted community in a real browser: invisible to outsiders, open to the
invited, and closed again at once for someone removed."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_restricted_community_is_seen_only_by_its_members_and_a_removal_is_immediate(
    sign_in, anna, bjorn, carla, live_server
):
    # Anna creates a restricted community.
    a = sign_in(anna)
    a.get_by_role("link", name="Communities", exact=True).click()
    a.get_by_role("link", name="Create a community").click()
    a.get_by_label("Name").fill("Board of Directors")
    a.get_by_label("Description").fill("Where the board prepares its meetings.")
    a.get_by_label("Tags").fill("governance")
    a.get_by_label("Restricted: invisible, by invitation only").check()
    a.get_by_role("button", name="Create").click()
    expect(a.get_by_text("The community was created.")).to_be_visible()
    expect(a.get_by_role("heading", name="Board of Directors")).to_be_visible()
    url = a.url

    # She invites Bjørn.
    a.get_by_label("Invite a colleague (user name)").fill("bjorn")
    a.get_by_role("button", name="Invite", exact=True).click()
    expect(a.get_by_text("Invitation sent.")).to_be_visible()

    # Carla finds nothing: not in the directory, not by its address, not in the API.
    c = sign_in(carla)
    c.goto("/communities/")
    c.get_by_label("Find a community by name or tag").fill("Board")
    c.get_by_role("button", name="Search").click()
    expect(c.get_by_text("No community matches.")).to_be_visible()
    assert c.goto(url).status == 404
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    assert c.request.get(f"/api/v1/communities/{slug}").status == 404

    # Bjørn accepts from his notification and posts.
    b = sign_in(bjorn)
    b.goto("/notifications/")
    b.get_by_role(
        "link", name="Anna Lindqvist invited you to the community Board of Directors"
    ).click()
    b.get_by_role("button", name="Accept invitation").click()
    expect(b.get_by_text("Welcome to the community.")).to_be_visible()
    b.get_by_label("Status update").fill("Draft agenda for Thursday #governance")
    b.get_by_role("button", name="Post", exact=True).click()
    expect(b.get_by_text("Posted.")).to_be_visible()
    post = b.locator("article.post").first
    expect(post).to_contain_text("Draft agenda for Thursday")
    expect(post.get_by_role("link", name="Board of Directors")).to_be_visible()
    post_url = post.get_by_role("link").filter(has=b.locator("time")).get_attribute("href")

    # Carla still sees nothing: not in her stream, not the post, not the community.
    c.goto("/")
    expect(c.locator("body")).not_to_contain_text("Draft agenda")
    assert c.goto(post_url).status == 404
    assert c.goto(url).status == 404
    assert c.request.get(f"/api/v1/communities/{slug}/stream").status == 404

    # Anna removes Bjørn; he loses access at once.
    a.goto(url + "members/")
    a.get_by_role("button", name="Remove Bjørn Hansen").click()
    expect(a.get_by_text("Member removed.")).to_be_visible()
    assert b.goto(url).status == 404
    assert b.goto(post_url).status == 404
    b.goto("/")
    expect(b.locator("body")).not_to_contain_text("Draft agenda")
    assert b.request.get(f"/api/v1/communities/{slug}").status == 404
