"""The journey that matters most, in a real browser: a question reaches someone who
does not know, who names a colleague who does; the answer is confirmed and accepted,
and the question shows how long it took and how many hops it went."""

import re

import pytest
from playwright.sync_api import expect

from kollega.people.services import tag_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_question_sent_referred_answered_confirmed_and_accepted(
    sign_in, make_person, anna, bjorn, carla
):
    dag = make_person("Dag Berg", "dag")
    tag_person(carla, bjorn, ["wine"])

    a = sign_in(anna)
    a.get_by_role("link", name="Questions", exact=True).click()
    a.get_by_role("link", name="Ask a question").click()
    a.get_by_label("Your question").fill("How long does an opened bottle of wine keep?")
    a.get_by_label("Tags").fill("wine")
    a.get_by_role("button", name="Ask", exact=True).click()
    expect(a.get_by_role("heading", level=1)).to_have_text(
        "How long does an opened bottle of wine keep?"
    )
    question_url = a.url
    expect(a.locator(".suggestions")).to_contain_text("tagged wine by 1 colleague")
    a.get_by_label("Bjørn Hansen").check()
    a.get_by_role("button", name="Send", exact=True).click()
    expect(a.get_by_text("Sent to Bjørn Hansen.")).to_be_visible()

    b = sign_in(bjorn)
    b.goto("/notifications/")
    b.get_by_role("link", name="Anna Lindqvist asks: you may know this").click()
    b.get_by_label("Refer to (user name)").fill("carla")
    b.get_by_role("button", name="Refer", exact=True).click()
    expect(b.get_by_text("Referred to Carla Smith.")).to_be_visible()

    c = sign_in(carla)
    c.goto("/notifications/")
    c.get_by_role("link", name="Anna Lindqvist asked, Bjørn Hansen thinks you know").click()
    c.get_by_label("Write your answer").fill("Three to five days, corked, in the fridge.")
    c.get_by_role("button", name="Post answer").click()
    expect(c.get_by_text("Your answer is posted.")).to_be_visible()

    d = sign_in(dag)
    d.goto(question_url)
    answer = d.get_by_role("article", name="Answer by Carla Smith")
    answer.get_by_role("button", name="Confirm").click()
    expect(d.get_by_role("article", name="Answer by Carla Smith")).to_contain_text(
        "Confirmed by Dag Berg"
    )

    a.goto(question_url)
    a.get_by_role("button", name="Accept this answer").click()
    expect(a.locator(".accepted-mark")).to_have_text("Accepted answer")
    expect(a.locator("#time-to-first-answer")).to_have_text(re.compile(r"^\d+ min$"))
    expect(a.locator("#time-to-accepted-answer")).to_have_text(re.compile(r"^\d+ min$"))
    expect(a.locator("#referral-hops")).to_have_text("2 hops")
    expect(a.locator(".referrals")).to_contain_text("Anna Lindqvist → Bjørn Hansen → Carla Smith")
