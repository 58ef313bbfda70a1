"""A term's owner is told of each new mention (and mailed, as they chose), may work on
the mentions of their terms and comment on them; nobody else may."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from kollega.communities.services import create_community, join_community
from kollega.listening import mentions, services
from kollega.listening.models import Mention, MentionComment, Source, Term
from kollega.listening.readers import ItemData
from kollega.mail.tests.smtp import SITE_URL
from kollega.mail.tests.test_notification_mails import burst_ends
from kollega.notifications.models import MailChoice, Notification
from kollega.notifications.services import notifications_for, set_mail_choices
from kollega.people.tests.factories import signed_in
from kollega.permissions.listening import LISTENING_GROUP

pytestmark = pytest.mark.django_db


def item(external_id: str, title: str) -> ItemData:
    return ItemData(external_id=external_id, title=title, url=f"https://news.example/{external_id}")


@pytest.fixture
def source(db):
    return Source.objects.create(name="news", url="https://news.example/feed")


@pytest.fixture
def listener(carla):
    group, _ = Group.objects.get_or_create(name=LISTENING_GROUP)
    carla.user.groups.add(group)
    return carla


def test_a_term_s_owner_is_told_once_of_each_new_mention_and_mailed_at_once(dag, source):
    Term.objects.create(phrase="kollega", owner_person=dag)

    services.store_items(source, [item("1", "Kollega is great"), item("2", "Weather")])
    services.store_items(source, [item("1", "Kollega is great"), item("2", "Weather")])

    told = Notification.objects.get(recipient=dag)
    assert told.kind == "listening_mention" and told.listening_mention == Mention.objects.get()
    assert told.mail_due_at is not None  # a mention waits for an answer: mailed at once
    page = signed_in(dag).get("/notifications/").content.decode()
    assert "“kollega” was mentioned in news" in page
    assert f'href="/listening/mentions/{told.listening_mention_id}/"' in page


def test_an_owner_who_wants_no_mail_gets_the_notification_without_one(dag, source):
    set_mail_choices(dag, {"listening_mention": MailChoice.NEVER})
    Term.objects.create(phrase="kollega", owner_person=dag)

    services.store_items(source, [item("1", "Kollega")])

    assert Notification.objects.get(recipient=dag).mail_due_at is None


def test_a_community_owning_a_term_tells_its_owners_only(dag, eva, source):
    wine = create_community(dag, "Brand team", "We watch.", [], "open")

    join_community(eva, wine)
    Term.objects.create(phrase="kollega", owner_community=wine)

    services.store_items(source, [item("1", "Kollega")])

    assert list(Notification.objects.values_list("recipient__user__username", flat=True)) == ["dag"]


def test_an_owner_works_on_their_terms_mentions_only(dag, eva, source):
    Term.objects.create(phrase="kollega", owner_person=dag)
    Term.objects.create(phrase="saab", owner_person=eva)
    services.store_items(source, [item("1", "Kollega"), item("2", "Saab")])
    ours, theirs = (
        Mention.objects.get(term__phrase="kollega"),
        Mention.objects.get(term__phrase="saab"),
    )
    browser = signed_in(dag)

    assert browser.get(f"/listening/mentions/{ours.pk}/").status_code == 200
    assert browser.get(f"/listening/mentions/{theirs.pk}/").status_code == 404
    inbox = browser.get("/listening/").content.decode()
    assert "Kollega" in inbox and "Saab" not in inbox
    assert "Sources" not in inbox  # sources stay the team's
    assert browser.get(f"/listening/sources/{source.pk}/").status_code == 404

    browser.post(f"/listening/mentions/{theirs.pk}/answer/")
    theirs.refresh_from_db()
    assert theirs.state == "new"


def test_the_team_and_owners_comment_and_anyone_else_is_refused(dag, eva, listener, source):
    Term.objects.create(phrase="kollega", owner_person=dag)
    services.store_items(source, [item("1", "Kollega")])
    mention = Mention.objects.get()

    signed_in(listener).post(
        f"/listening/mentions/{mention.pk}/comment/", {"body": "Ask Dag", "next": "mention"}
    )
    signed_in(dag).post(f"/listening/mentions/{mention.pk}/comment/", {"body": "On it"})
    refused = signed_in(eva).post(f"/listening/mentions/{mention.pk}/comment/", {"body": "Hi"})

    assert refused.status_code == 404
    with pytest.raises(PermissionDenied):
        mentions.comment_on_mention(eva, mention, "Hi")
    assert list(MentionComment.objects.values_list("body", flat=True)) == ["Ask Dag", "On it"]
    page = signed_in(dag).get(f"/listening/mentions/{mention.pk}/").content.decode()
    assert "Ask Dag" in page and "On it" in page
    assert signed_in(eva).get(f"/listening/mentions/{mention.pk}/").status_code == 404


def test_an_empty_comment_says_so_and_stores_nothing(listener, source):
    Term.objects.create(phrase="kollega")
    services.store_items(source, [item("1", "Kollega")])
    mention = Mention.objects.get()

    answer = signed_in(listener).post(
        f"/listening/mentions/{mention.pk}/comment/", {"body": "  ", "next": "mention"}, follow=True
    )

    assert "Write a comment first." in answer.content.decode()
    assert not MentionComment.objects.exists()


def test_a_notification_goes_when_its_recipient_no_longer_owns_the_term(dag, eva, source):
    term = Term.objects.create(phrase="kollega", owner_person=dag)
    services.store_items(source, [item("1", "Kollega")])
    assert notifications_for(dag).count() == 1

    term.owner_person = eva
    term.save()

    assert notifications_for(dag).count() == 0


def test_an_owner_assigns_a_mention_to_a_team_member_but_not_to_anyone(dag, eva, listener, source):
    Term.objects.create(phrase="kollega", owner_person=dag)
    services.store_items(source, [item("1", "Kollega")])
    mention = Mention.objects.get()
    browser = signed_in(dag)

    browser.post(f"/listening/mentions/{mention.pk}/assign/", {"assignee": eva.pk})
    mention.refresh_from_db()
    assert mention.state == "new"
    browser.post(f"/listening/mentions/{mention.pk}/assign/", {"assignee": listener.pk})
    mention.refresh_from_db()
    assert (mention.state, mention.assignee) == ("assigned", listener)


def test_the_owner_s_mail_names_the_term_and_links_to_the_mention(smtp_server, dag, source):
    Term.objects.create(phrase="kollega", owner_person=dag)
    services.store_items(source, [item("1", "Kollega is great")])
    mention = Mention.objects.get()

    burst_ends()

    [message] = smtp_server.to("dag@example.org")
    assert message["Subject"].strip() == "“kollega” was mentioned in news"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"{SITE_URL}/listening/mentions/{mention.pk}/" in text
    assert "Kollega is great" in text


def test_the_api_names_the_mention_of_a_listening_notification(api_as, dag, source):
    Term.objects.create(phrase="kollega", owner_person=dag)
    services.store_items(source, [item("1", "Kollega")])

    [found] = api_as(dag).get("/notifications").json()["items"]

    assert found["kind"] == "listening_mention"
    assert found["listening_mention_id"] == Mention.objects.get().pk
