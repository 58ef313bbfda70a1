"""Listening: a term's owner finds a mention in the shared inbox, takes it, answers it
at its source, marks it answered and sees the response time; another is dismissed with a
reason. The keyboard alone works the inbox. An owner who is not on the team follows the
notification to the mention, gives it to a colleague, comments, answers and sees the
response time."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from kollega.listening import services
from kollega.listening.models import Mention, Source, Term
from kollega.listening.readers import ItemData
from kollega.permissions.listening import LISTENING_GROUP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_takes_answers_and_sees_the_response_time(sign_in, dag):
    dag.user.groups.add(Group.objects.create(name=LISTENING_GROUP))
    Term.objects.create(phrase="kollega", owner_person=dag)
    source = Source.objects.create(name="Tech news", url="https://news.example/feed")
    services.store_items(
        source,
        [
            ItemData(external_id="1", title="Kollega makes intranets friendly",
                     url="https://news.example/1", content_html="<p>A review of Kollega.</p>"),
            ItemData(external_id="2", title="Win a prize with Kollega", content_html="<p>!</p>"),
        ],
    )  # fmt: skip

    page = sign_in(dag)
    page.goto("/listening/")
    first = page.locator("li.mention-card").filter(has_text="Kollega makes intranets friendly")
    expect(first).to_contain_text("Matches “kollega” in Tech news")
    expect(first.get_by_role("link", name="Answer at the source")).to_have_attribute(
        "href", "https://news.example/1"
    )
    take = first.get_by_role("button", name="Take it")
    take.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The mention is yours to answer.")).to_be_visible()
    first = page.locator("li.mention-card").filter(has_text="Kollega makes intranets friendly")
    expect(first).to_contain_text("Assigned: Dag Berg")
    first.get_by_role("button", name="Mark answered").click()
    expect(page.get_by_text("Marked answered.")).to_be_visible()

    spam = page.locator("li.mention-card").filter(has_text="Win a prize")
    spam.get_by_label("Why no answer?").fill("A competition bot")
    spam.get_by_label("Why no answer?").press("Enter")
    expect(page.get_by_text("Dismissed.")).to_be_visible()

    expect(page.get_by_text("No open mentions.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="kollega")
    expect(row.get_by_role("cell").nth(1)).to_have_text("Dag Berg")  # the term's owner
    expect(row.get_by_role("cell").nth(2)).to_have_text("2")
    answered = Mention.objects.get(item__external_id="1")
    assert answered.state == "answered" and answered.response_time is not None
    assert Mention.objects.get(item__external_id="2").dismiss_reason == "A competition bot"


def test_an_owner_gets_a_mention_assigns_answers_and_sees_the_response_time(sign_in, anna, bjorn):
    group, _ = Group.objects.get_or_create(name=LISTENING_GROUP)
    bjorn.user.groups.add(group)
    Term.objects.create(phrase="kollega", kind=Term.Kind.BRAND, owner_person=anna)
    source = Source.objects.create(name="Tech news", url="https://news.example/feed")
    services.store_items(
        source,
        [ItemData(external_id="1", title="Is Kollega down?", url="https://news.example/1",
                  content_html="<p>Kollega does not load for me.</p>")],
    )  # fmt: skip
    mention = Mention.objects.get()

    page = sign_in(anna)
    page.goto("/notifications/")
    page.get_by_role("link", name="“kollega” was mentioned in Tech news").click()
    expect(page.get_by_role("heading", name="Is Kollega down?", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Answer at the source")).to_have_attribute(
        "href", "https://news.example/1"
    )

    page.get_by_label("Give it to").select_option(label="Bjørn Hansen")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned to Bjørn Hansen.")).to_be_visible()
    expect(page.locator("#mention-state")).to_contain_text("Assigned: Bjørn Hansen")

    page.get_by_role("textbox", name="Comment").fill("Bjørn, it was the outage this morning.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Bjørn, it was the outage this morning.")).to_be_visible()

    page.get_by_role("button", name="Mark answered").click()
    expect(page.get_by_text("Marked answered.")).to_be_visible()
    expect(page.locator("#mention-state")).to_contain_text("Answered")
    expect(page.locator("#response-time")).to_contain_text("minute")

    page.goto("/listening/overview/")
    expect(page.get_by_role("heading", name="Response time per term and owner")).to_be_visible()
    expect(page.get_by_role("row", name="kollega — Anna Lindqvist")).to_contain_text("1")
    mention.refresh_from_db()
    assert (mention.state, mention.assignee) == ("answered", bjorn)
