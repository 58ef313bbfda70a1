"""In a real browser: a suggestion with its reason on the home page; "Not interested",
pressed with the keyboard, takes it away, and it stays away after a reload."""

import pytest
from playwright.sync_api import expect

from kollega.network.services import connect
from kollega.recommendations.models import Dismissal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_not_interested_by_keyboard_takes_a_suggestion_away_for_good(
    sign_in, anna, bjorn, carla, dag
):
    connect(anna, bjorn)
    connect(anna, carla)
    connect(bjorn, dag)
    connect(carla, dag)
    page = sign_in(anna)
    panel = page.get_by_role("complementary", name="Suggestions for you")
    suggestion = panel.get_by_role("listitem").filter(has_text="Dag Berg")
    expect(suggestion.get_by_role("link", name="Dag Berg")).to_be_visible()
    expect(suggestion.get_by_text("You share 2 contacts")).to_be_visible()

    button = panel.get_by_role("button", name="Not interested in Dag Berg")
    button.focus()
    page.keyboard.press("Enter")
    expect(panel.get_by_text("You will not see this suggestion again.")).to_be_visible()
    expect(panel.get_by_role("link", name="Dag Berg")).to_have_count(0)
    assert Dismissal.objects.filter(person=anna, kind="person", object_id=dag.pk).exists()

    page.reload()
    expect(panel.get_by_text("No suggestions right now.")).to_be_visible()
    expect(panel.get_by_role("link", name="Dag Berg")).to_have_count(0)
