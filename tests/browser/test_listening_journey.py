"""In a real browser: a term's owner is told of a mention, gives it to a colleague on the
listening team, answers it and sees how long the answer took."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from kollega.listening import services
from kollega.listening.models import Mention, Source, Term
from kollega.listening.readers import ItemData
from kollega.permissions.listening import LISTENING_GROUP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
