"""In a real browser: a colleague hides their phone number by keyboard on the privacy
page, and another colleague opening their profile no longer sees it."""

import pytest
from playwright.sync_api import expect

from kollega.people.models import Person
from kollega.people.services import update_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "+46 70 123 45 67"


def test_a_hidden_phone_number_is_gone_from_the_profile_colleagues_see(sign_in, anna, bjorn):
    update_profile(anna, phone=PHONE)
    colleague = sign_in(bjorn)
    colleague.goto("/people/anna/")
    expect(colleague.get_by_role("link", name=PHONE)).to_be_visible()

    page = sign_in(anna)
    page.goto("/people/anna/")
    page.get_by_role("link", name="Privacy").click()
    phone = page.get_by_role("group", name="Who may see my phone number")
    everyone = phone.get_by_role("radio", name="Everyone in the organisation")
    expect(everyone).to_be_checked()
    # By keyboard: into the group, down to "Only me" (arrow keys move the choice).
    everyone.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(phone.get_by_role("radio", name="Only me")).to_be_checked()
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your privacy settings were saved.")).to_be_visible()
    assert Person.objects.get(pk=anna.pk).phone_seen_by == "only_me"

    colleague.reload()
    expect(colleague.get_by_role("heading", name="Anna Lindqvist", exact=True)).to_be_visible()
    expect(colleague.get_by_text(PHONE)).to_have_count(0)
    page.goto("/people/anna/")
    expect(page.get_by_role("link", name=PHONE)).to_be_visible()  # she still sees her own
