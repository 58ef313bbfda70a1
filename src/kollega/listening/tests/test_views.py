"""The shared inbox page and a source's page, in a signed-in browser session."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from kollega.listening import services
from kollega.listening.models import Mention, Source, Term
from kollega.listening.readers import ItemData
from kollega.people.tests.factories import signed_in
from kollega.permissions.listening import LISTENING_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(dag):
    group, _ = Group.objects.get_or_create(name=LISTENING_GROUP)
    dag.user.groups.add(group)
    return dag


@pytest.fixture
def mention(db):
    Term.objects.create(phrase="kollega")
    source = Source.objects.create(name="news", url="https://news.example/feed")
    services.store_items(
        source,
        [ItemData(external_id="1", title="Kollega is great", url="https://news.example/1",
                  content_html="<p>We love Kollega</p>")],
    )  # fmt: skip
    return Mention.objects.get()


def test_a_listener_takes_answers_and_sees_the_response_time(listener, mention):
    browser = signed_in(listener)
    page = browser.get("/listening/").content.decode()
    assert "Kollega is great" in page and "Answer at the source" in page
    assert 'href="https://news.example/1" rel="noopener noreferrer nofollow"' in page

    browser.post(f"/listening/mentions/{mention.pk}/take/")
    mention.refresh_from_db()
    assert (mention.state, mention.assignee) == ("assigned", listener)
    browser.post(f"/listening/mentions/{mention.pk}/answer/")

    page = browser.get("/listening/").content.decode()
    assert "No open mentions." in page
    assert "<td>kollega</td><td>—</td><td>1</td>" in page


def test_dismissing_without_a_reason_says_why_and_changes_nothing(listener, mention):
    browser = signed_in(listener)

    answer = browser.post(
        f"/listening/mentions/{mention.pk}/dismiss/", {"reason": " "}, follow=True
    )

    assert "Say why this mention needs no answer." in answer.content.decode()
    mention.refresh_from_db()
    assert mention.state == "new"


def test_a_source_page_shows_its_last_error(listener):
    source = Source.objects.create(
        name="broken", last_error="The server answered 404 Not Found.", consecutive_errors=3
    )
    page = signed_in(listener).get(f"/listening/sources/{source.pk}/").content.decode()
    assert "The server answered 404 Not Found." in page
    assert "(3 failed polls in a row; polling again later, less often)" in page


def test_the_inbox_is_translated(listener, mention):
    listener.language = "sv"
    listener.save()
    with translation.override("sv"):
        page = signed_in(listener).get("/listening/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Öppna omnämnanden, äldst först" in page


def test_colleagues_outside_the_listening_team_get_403_and_404(eva, mention):
    browser = signed_in(eva)
    assert browser.get("/listening/").status_code == 403
    assert browser.get(f"/listening/sources/{mention.item.source_id}/").status_code == 404
    assert browser.post(f"/listening/mentions/{mention.pk}/answer/").status_code == 404
    mention.refresh_from_db()
    assert mention.state == "new"


def test_the_menu_leads_the_listening_team_and_no_one_else_to_the_inbox(listener, eva):
    link = '<a href="/listening/"'
    assert link in signed_in(listener).get("/").content.decode()
    page = signed_in(eva).get("/").content.decode()
    assert link not in page and '<a href="/insights/"' in page  # everyone has their figures
