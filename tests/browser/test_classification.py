"""Classification in the browser: a Confidential restricted community's post stays with
its members (never in an outsider's organisation stream or search), and choosing
Confidential for the whole organisation is refused with the reason, the text kept."""

import pytest
from playwright.sync_api import expect

from kollega.communities import services as communities
from kollega.guard.classification import Level
from kollega.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "zanzibarian"


def test_a_confidential_communitys_post_reaches_its_members_only(sign_in, anna, bjorn, carla):
    deals = communities.create_community(
        anna, "Deals", "", [], "restricted", classification=Level.CONFIDENTIAL
    )
    invitation = communities.invite_to_community(anna, deals, bjorn)
    communities.accept_community_invitation(bjorn, invitation)

    member = sign_in(bjorn)
    member.goto(deals.get_absolute_url())
    member.get_by_role("textbox", name="Status update").fill(f"Term sheet for the {WORD} deal")
    member.get_by_role("button", name="Post").click()
    expect(member.locator(".post").first).to_contain_text(f"{WORD} deal")
    expect(member.locator(".post .classification-confidential").first).to_be_visible()
    assert Post.objects.get().classification == Level.CONFIDENTIAL

    owner = sign_in(anna)
    owner.goto(deals.get_absolute_url())
    expect(owner.locator(".post").first).to_contain_text(f"{WORD} deal")

    outsider = sign_in(carla)
    outsider.goto("/")
    expect(outsider.locator("main")).not_to_contain_text(WORD)
    outsider.goto(f"/search/?q={WORD}")
    expect(outsider.locator("main")).to_contain_text(f"Nothing found for “{WORD}”")


def test_confidential_to_the_whole_organisation_is_refused_and_the_text_kept(sign_in, anna):
    page = sign_in(anna)
    page.goto("/")
    text = "Draft of the reorganisation, please do not forward"
    page.get_by_role("textbox", name="Status update").fill(text)
    page.get_by_label("Audience").select_option("organisation")
    page.get_by_label("Classification").select_option(label="Confidential")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "“Confidential” content cannot go to the whole organisation"
    )
    expect(page.get_by_role("textbox", name="Status update")).to_have_value(text)
    expect(page.get_by_label("Classification")).to_have_value(str(int(Level.CONFIDENTIAL)))
    assert not Post.objects.exists()
