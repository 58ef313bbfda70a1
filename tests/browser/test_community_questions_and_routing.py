"""Asking in a restricted community (only its members are suggested and see it), and a
question Kollega sends on its own escalating after its deadline, in a real browser."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kollega.communities.models import Community
from kollega.communities.services import (
    accept_community_invitation,
    create_community,
    invite_to_community,
)
from kollega.people.services import tag_person
from kollega.qa import services
from kollega.qa.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_question_in_a_restricted_community_reaches_its_members_only(sign_in, anna, bjorn, carla):
    cellar = create_community(anna, "Cellar", kind=Community.Kind.RESTRICTED)
    accept_community_invitation(bjorn, invite_to_community(anna, cellar, bjorn))
    tag_person(bjorn, bjorn, ["wine"])
    tag_person(carla, carla, ["wine"])

    a = sign_in(anna)
    a.goto("/communities/cellar/")
    a.get_by_role("link", name="Questions", exact=True).last.click()
    a.get_by_role("link", name="Ask in this community").click()
    expect(a.get_by_label("In the community")).to_have_value("cellar")
    a.get_by_label("Your question").fill("Which cork keeps a riesling?")
    a.get_by_label("Tags").fill("wine")
    a.get_by_role("button", name="Ask", exact=True).click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Which cork keeps a riesling?")
    suggestions = a.locator(".suggestions")
    expect(suggestions).to_contain_text("Bjørn Hansen")
    expect(suggestions).not_to_contain_text("Carla Smith")
    question_url = a.url

    b = sign_in(bjorn)
    b.goto("/communities/cellar/questions/")
    expect(b.get_by_role("link", name="Which cork keeps a riesling?")).to_be_visible()

    c = sign_in(carla)
    response = c.goto(question_url)
    assert response.status == 404
    c.goto("/questions/")
    expect(c.get_by_text("Which cork keeps a riesling?")).to_have_count(0)


def test_an_auto_sent_question_escalates_after_its_deadline(sign_in, anna, make_person):
    tags = ["wine", "cellar", "cork", "glass"]
    experts = [make_person(name, name.lower()) for name in ("Ola", "Per", "Rut", "Siv")]
    for rank, person in enumerate(experts):
        tag_person(person, person, tags[: 4 - rank])

    a = sign_in(anna)
    a.goto("/questions/ask/")
    a.get_by_label("Your question").fill("Which glass for a riesling?")
    a.get_by_label("Tags").fill(" ".join(tags))
    a.get_by_label("Let Kollega send it at once").check()
    a.get_by_label("How many at a time").fill("2")
    a.get_by_label("Working hours to wait").fill("2")
    a.get_by_role("button", name="Ask", exact=True).click()
    expect(a.get_by_text("Your question is asked and sent to Ola, Per.")).to_be_visible()
    asked = a.get_by_role("region", name="Who was asked")
    expect(asked.locator("li")).to_have_count(2)
    expect(asked).to_contain_text("sent automatically")
    expect(asked.locator("#routing-plan")).to_contain_text("Kollega sends it to the next 2")

    # The clock the test controls: the periodic task's service, run just past the deadline.
    plan = Question.objects.get().routing
    services.escalate_due_questions(now=plan.deadline + timedelta(minutes=1))
    a.reload()
    expect(asked.locator("li")).to_have_count(4)
    expect(asked.locator("li", has_text="Rut")).to_contain_text("escalated")
    expect(asked.locator("li", has_text="Siv")).to_contain_text("escalated")
