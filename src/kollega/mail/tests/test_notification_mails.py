"""Notifications by mail, through a real SMTP server: what arrives, in whose language,
with which links, how often, and how one click turns it off."""

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.db.models import F
from django.test import Client

from kollega.mail.models import Delivery
from kollega.mail.tasks import send_mail
from kollega.mail.tests.smtp import SITE_URL
from kollega.network.services import connect, remove_contact, send_invitation
from kollega.notifications.models import MAIL_BURST_WINDOW, MailPreference, Notification
from kollega.notifications.services import mail_choice, set_mail_choices
from kollega.posts.models import Audience
from kollega.posts.services import post_on_board
from kollega.qa.services import ask_question, refer_question, send_question

pytestmark = pytest.mark.django_db


def burst_ends() -> None:
    """The burst window of every waiting notification has passed; the minute's job runs."""
    Notification.objects.filter(mail_due_at__isnull=False).update(
        mail_due_at=F("mail_due_at") - MAIL_BURST_WINDOW
    )
    send_mail.enqueue()


def header(message: EmailMessage, name: str) -> str:
    # Django folds a long or non-ASCII header onto the next line; clients read it unfolded.
    return message[name].strip()


def subject(message: EmailMessage) -> str:
    return header(message, "Subject")


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_a_question_sent_to_me_arrives_as_a_multipart_mail_with_absolute_links(
    smtp_server, anna, bjorn
):
    question = ask_question(anna, "Which yeast for a saison?", "Dry and peppery, please.")
    send_question(anna, question, [bjorn])
    send_mail.enqueue()
    assert smtp_server.messages == []  # the burst is still open

    burst_ends()
    [message] = smtp_server.to("bjorn@example.org")
    assert message["From"] == "Kollega <kollega@intranet.example.com>"
    assert subject(message) == "Anna Lindqvist asks: you may know this: “Which yeast for a saison?”"
    assert message.get_content_type() == "multipart/alternative"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = header(message, "List-Unsubscribe")
    assert re.fullmatch(rf"<{SITE_URL}/mail/unsubscribe/[^>]+/>", unsubscribe)
    text, html = parts(message)
    question_url = f"{SITE_URL}{question.get_absolute_url()}"
    assert "Anna Lindqvist asks: you may know this" in text and question_url in text
    assert f"{SITE_URL}/settings/mail/" in text
    assert f'href="{question_url}"' in html and f'href="{SITE_URL}/settings/mail/"' in html
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert links and all(link.startswith(SITE_URL + "/") for link in links), links
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "<style" not in html.lower() and 'style="' in html  # inline CSS only


def test_a_swedish_colleague_gets_the_mail_in_swedish(smtp_server, anna, bjorn):
    bjorn.language = "sv"
    bjorn.save(update_fields=["language"])
    question = ask_question(anna, "Vilken jäst till en saison?")
    send_question(anna, question, [bjorn])
    burst_ends()
    [message] = smtp_server.to("bjorn@example.org")
    assert subject(message).startswith("Anna Lindqvist frågar: du kanske vet det här")
    assert message["Content-Language"] == "sv"
    text, html = parts(message)
    assert "Välj vilken e-post du får" in text and "Välj vilken e-post du får" in html
    assert '<html lang="sv">' in html


def test_a_burst_of_notifications_is_one_mail(smtp_server, anna, bjorn, carla, dag):
    question = ask_question(anna, "Who has a grain mill?")
    send_question(anna, question, [carla])
    refer_question(carla, question, bjorn, "He milled last week")
    send_question(dag, ask_question(dag, "Who has a spare fermenter?"), [bjorn])
    send_invitation(anna, bjorn, "Let us brew together")
    burst_ends()
    [message] = smtp_server.to("bjorn@example.org")
    assert subject(message) == "3 new notifications on Kollega"
    text, _html = parts(message)
    assert "Anna Lindqvist asked, Carla Smith thinks you know" in text
    assert "Dag Berg asks: you may know this" in text
    assert "Anna Lindqvist invited you to their network: “Let us brew together”" in text
    burst_ends()  # the next minutes send nothing more
    assert len(smtp_server.to("bjorn@example.org")) == 1


def test_each_kind_goes_by_mail_only_as_the_person_chose(smtp_server, anna, bjorn, carla):
    post_on_board(anna, "Hello @bjorn and @carla")  # mentions: in the digest by default
    burst_ends()
    assert smtp_server.messages == []

    set_mail_choices(carla, {"mention": "at_once"})
    set_mail_choices(bjorn, {"question_sent": "never"})
    post_on_board(anna, "Again, @carla and @bjorn")
    question = ask_question(anna, "Is the mill free on Friday?")
    send_question(anna, question, [bjorn, carla])
    burst_ends()
    assert smtp_server.to("bjorn@example.org") == []
    [message] = smtp_server.to("carla@example.org")
    text, _html = parts(message)
    assert "Anna Lindqvist mentioned you" in text and "asks: you may know this" in text


def test_a_post_one_may_no_longer_see_is_left_out_of_the_mail(smtp_server, anna, bjorn, carla):
    set_mail_choices(anna, {"mention": "at_once"})
    connect(anna, bjorn)
    post_on_board(bjorn, "Only for my network, @anna", audience=Audience.NETWORK)
    post_on_board(carla, "For everyone, @anna")
    remove_contact(bjorn, anna)
    burst_ends()
    [message] = smtp_server.to("anna@example.org")
    text, html = parts(message)
    assert "Carla Smith mentioned you" in text
    assert "Bjørn" not in text and "Only for my network" not in html


def test_one_click_unsubscribe_turns_that_kind_off_without_signing_in(smtp_server, anna, bjorn):
    question = ask_question(anna, "Any spare hops?")
    send_question(anna, question, [bjorn])
    burst_ends()
    [message] = smtp_server.to("bjorn@example.org")
    path = urlsplit(header(message, "List-Unsubscribe").strip("<>")).path
    browser = Client(enforce_csrf_checks=True)

    confirm = browser.get(path)  # a link checker or a click: only asks
    assert confirm.status_code == 200
    assert "A question you may know" in confirm.content.decode()
    assert mail_choice(bjorn, "question_sent") == "at_once"

    answer = browser.post(path, {"List-Unsubscribe": "One-Click"})  # what the client sends
    assert answer.status_code == 200
    assert mail_choice(bjorn, "question_sent") == "never"
    assert mail_choice(bjorn, "invitation") == "at_once"  # other kinds untouched

    send_question(anna, ask_question(anna, "Any spare malt?"), [bjorn])
    burst_ends()
    assert len(smtp_server.to("bjorn@example.org")) == 1


def test_a_forged_unsubscribe_token_is_refused_and_changes_nothing(smtp_server, anna, bjorn):
    send_question(anna, ask_question(anna, "Any spare yeast?"), [bjorn])
    burst_ends()
    [message] = smtp_server.to("bjorn@example.org")
    path = urlsplit(header(message, "List-Unsubscribe").strip("<>")).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for attempt in (forged, "not-a-token", token.replace(token[-10:], "0" * 10)):
        answer = Client().post(f"/mail/unsubscribe/{attempt}/")
        assert answer.status_code == 400
    assert not MailPreference.objects.exists()
    assert mail_choice(bjorn, "question_sent") == "at_once"


def test_a_colleague_without_an_address_is_skipped_and_listed(smtp_server, anna, bjorn):
    bjorn.user.email = ""
    bjorn.user.save(update_fields=["email"])
    send_question(anna, ask_question(anna, "Anyone with a kegerator?"), [bjorn])
    burst_ends()
    assert smtp_server.messages == []
    skipped = Delivery.objects.get()
    assert (skipped.recipient, skipped.status) == (bjorn, Delivery.Status.SKIPPED)
