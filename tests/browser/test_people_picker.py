"""The people picker in a real browser, with the keyboard alone: a few letters of a
name, ArrowDown, Enter. Sending, referring and @mentioning name the chosen colleague;
a name typed without choosing, or a colleague who may not see the question, is a
clear error and nothing is sent."""

import pytest
from playwright.sync_api import expect

from kollega.network.services import connect
from kollega.posts.models import Audience, Mention
from kollega.qa.models import Referral
from kollega.qa.tests.factories import ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, field, letters: str, name: str) -> None:
    """Type `letters` into the combobox `field`, wait for `name`, ArrowDown to it, Enter."""
    field.press_sequentially(letters)
    listbox = page.locator("#" + field.get_attribute("aria-controls"))
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_contain_text(name)
    field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    expect(page.locator("#" + active)).to_have_attribute("aria-selected", "true")
    expect(page.locator("#" + active)).to_contain_text(name)
    field.press("Enter")
    expect(field).to_have_attribute("aria-expanded", "false")


def test_the_asker_sends_to_two_colleagues_chosen_with_the_keyboard(
    sign_in, make_person, anna, bjorn
):
    magne = make_person("Magne Eide", "magne.eide", title="Sommelier")
    question = ask(anna, "Which glass for riesling?")
    a = sign_in(anna)
    a.goto(question.get_absolute_url())
    field = a.get_by_role("combobox", name="Or name a colleague (user name)")
    choose(a, field, "somm", "Magne Eide")  # found by title
    choose(a, field, "bjø", "Bjørn Hansen")
    chips = a.get_by_role("list", name="Chosen colleagues")
    expect(chips).to_contain_text("Magne Eide")
    expect(chips).to_contain_text("Bjørn Hansen")
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    field.press("Enter")  # nothing suggested: Enter sends the form
    expect(a.get_by_text("Sent to Magne Eide, Bjørn Hansen.")).to_be_visible()
    assert set(Referral.objects.filter(question=question).values_list("person", flat=True)) == {
        magne.pk,
        bjorn.pk,
    }


def test_a_chosen_colleague_can_be_taken_off_before_sending(sign_in, anna, bjorn, carla):
    question = ask(anna, "Which glass for riesling?")
    a = sign_in(anna)
    a.goto(question.get_absolute_url())
    field = a.get_by_role("combobox", name="Or name a colleague (user name)")
    choose(a, field, "bjø", "Bjørn Hansen")
    choose(a, field, "car", "Carla Smith")
    a.get_by_role("button", name="Remove Bjørn Hansen").click()
    field.press("Enter")
    expect(a.get_by_text("Sent to Carla Smith.")).to_be_visible()
    assert list(Referral.objects.values_list("person", flat=True)) == [carla.pk]


def test_a_colleague_refers_to_someone_chosen_with_the_keyboard(sign_in, anna, bjorn, carla):
    question = ask(anna, "Which glass for riesling?")
    b = sign_in(bjorn)
    b.goto(question.get_absolute_url())
    field = b.get_by_role("combobox", name="Refer to (user name)")
    choose(b, field, "car", "Carla Smith")
    expect(field).to_have_value("carla")
    field.press("Enter")
    expect(b.get_by_text("Referred to Carla Smith.")).to_be_visible()
    assert Referral.objects.get(question=question).person == carla


def test_at_in_the_post_composer_mentions_the_chosen_colleague(sign_in, make_person, anna):
    magne = make_person("Magne Eide", "magne.eide")
    a = sign_in(anna)
    composer = a.get_by_role("textbox", name="Status update")
    composer.press_sequentially("Lunch with @mag")
    suggestions = a.locator("#" + composer.get_attribute("aria-controls"))
    expect(suggestions.get_by_role("option")).to_contain_text("Magne Eide")
    composer.press("ArrowDown")
    expect(composer).to_have_attribute(
        "aria-activedescendant", suggestions.get_by_role("option").get_attribute("id")
    )
    composer.press("Enter")
    expect(composer).to_have_value("Lunch with @magne.eide ")
    composer.press_sequentially("today")
    a.get_by_role("button", name="Post", exact=True).click()
    expect(a.locator(".post").first).to_contain_text("Lunch with @magne.eide today")
    assert Mention.objects.filter(person=magne).exists()


def test_a_name_typed_without_choosing_is_refused_and_nothing_is_sent(sign_in, anna, bjorn):
    question = ask(anna, "Which glass for riesling?")
    a = sign_in(anna)
    a.goto(question.get_absolute_url())
    field = a.get_by_role("combobox", name="Or name a colleague (user name)")
    field.press_sequentially("nobody.here")
    expect(a.get_by_role("listbox")).to_contain_text("No colleague found for “nobody.here”.")
    field.press("Enter")
    expect(a.get_by_text("Nobody here is called @nobody.here.")).to_be_visible()
    assert not Referral.objects.exists()

    b = sign_in(bjorn)
    b.goto(question.get_absolute_url())
    refer = b.get_by_role("combobox", name="Refer to (user name)")
    refer.press_sequentially("nobody.here")
    refer.press("Enter")
    expect(b.get_by_role("alert")).to_contain_text("Nobody here is called @nobody.here.")
    assert not Referral.objects.exists()


def test_a_colleague_who_may_not_see_the_question_is_not_offered_nor_sent_to(
    sign_in, anna, bjorn, carla
):
    connect(anna, bjorn)
    # On anna's board: anna and her contacts see it; carla is not one.
    question = ask(anna, "Which glass for riesling?", audience=Audience.BOARD)
    a = sign_in(anna)
    a.goto(question.get_absolute_url())
    field = a.get_by_role("combobox", name="Or name a colleague (user name)")
    field.press_sequentially("car")
    listbox = a.get_by_role("listbox")
    expect(listbox).to_contain_text("No colleague found for “car”.")
    expect(listbox.locator("[data-username]")).to_have_count(0)
    field.fill("carla")
    field.press("Enter")
    expect(
        a.get_by_text("Carla Smith may not see this question, so it cannot be sent to them.")
    ).to_be_visible()
    assert not Referral.objects.exists()
