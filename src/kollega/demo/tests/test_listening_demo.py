"""The demo's listening: sources, terms and mentions from the fixture feeds when they are
there, none without them (the product runs without ../shared)."""

import shutil

import pytest

from kollega.demo.tests.test_demo import run_demo, tiny_data
from kollega.listening.models import Mention, Source, Term
from kollega.listening.tests.feeds import FEEDS, needs_feeds
from kollega.notifications.models import Notification
from kollega.people.models import Person
from kollega.people.tests.factories import signed_in


@pytest.mark.django_db
def test_without_the_fixture_feeds_the_demo_has_no_listening(tmp_path):
    run_demo(data=tiny_data(tmp_path))

    assert not Source.objects.exists() and not Term.objects.exists()


@pytest.mark.django_db
@needs_feeds
def test_with_the_fixture_feeds_a_newcomer_finds_the_inbox_working(tmp_path):
    data = tiny_data(tmp_path)
    shutil.copytree(FEEDS, data / "feeds")

    run_demo(data=data)

    assert Mention.objects.filter(state="new").exists()
    assert Mention.objects.filter(state="answered").exists()
    assert not Source.objects.filter(next_poll_at__isnull=True).exists()  # never polled
    owner = Term.objects.get(phrase="ruby").owner_person
    assert Notification.objects.filter(recipient=owner, kind="listening_mention").exists()
    assert not Notification.objects.filter(
        kind="listening_mention", mail_due_at__isnull=False
    ).exists()  # history, not mail to send
    browser = signed_in(owner)
    inbox = browser.get("/listening/").content.decode()
    assert "Open mentions, oldest first" in inbox and "Answer at the source" in inbox
    overview = browser.get("/listening/overview/").content.decode()
    assert "Share of voice" in overview and "ruby (Brand)" in overview
    ambassadors = browser.get("/settings/accounts/").content.decode()
    second = Person.objects.get(pk=Term.objects.get(phrase="rails").owner_person_id)
    assert second.name in ambassadors
