"""The digest as it arrives, through a real SMTP server: multipart, in the person's
language, with absolute links, and a one-click unsubscribe that ends the digest."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kollega.digests.services import digest_choice, send_digests
from kollega.mail.tasks import send_mail
from kollega.mail.tests.smtp import SITE_URL
from kollega.qa.services import ask_question, send_question

pytestmark = pytest.mark.django_db


def make_digests() -> None:
    send_digests("daily", timezone.now() + timedelta(days=1))
    send_mail.enqueue()  # the mail worker's minute job


def test_the_digest_arrives_as_multipart_mail_with_absolute_links(smtp_server, anna, bjorn):
    question = ask_question(anna, "Which yeast for a saison?", "Dry and peppery, please.")
    send_question(anna, question, [bjorn])

    make_digests()

    [message] = smtp_server.to("bjorn@example.org")
    assert message["Subject"] == "Your daily Kollega digest: 1 item"
    assert message.get_content_type() == "multipart/alternative"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    url = f"{SITE_URL}{question.get_absolute_url()}"
    assert "Questions waiting for you" in text and url in text
    assert "Which yeast for a saison?" in html and f'href="{url}"' in html
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert links and all(link.startswith(SITE_URL + "/") for link in links), links
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert smtp_server.to("anna@example.org") == []  # nothing for her: not sent


def test_a_swedish_colleague_gets_the_digest_in_swedish(smtp_server, anna, bjorn):
    bjorn.language = "sv"
    bjorn.save(update_fields=["language"])
    send_question(anna, ask_question(anna, "Vilken jäst till en saison?"), [bjorn])

    make_digests()

    [message] = smtp_server.to("bjorn@example.org")
    assert message["Subject"] == "Din dagliga Kollega-sammanfattning: 1 sak"
    assert message["Content-Language"] == "sv"
    assert "Frågor som väntar på dig" in message.get_body(preferencelist=("plain",)).get_content()


def test_one_click_unsubscribe_turns_the_digest_off(smtp_server, anna, bjorn):
    send_question(anna, ask_question(anna, "Saison yeast?"), [bjorn])
    make_digests()
    [message] = smtp_server.to("bjorn@example.org")
    address = message["List-Unsubscribe"].strip()[1:-1].removeprefix(SITE_URL)

    answer = Client().post(address, {"List-Unsubscribe": "One-Click"})

    assert answer.status_code == 200
    assert digest_choice(type(bjorn).objects.get(pk=bjorn.pk)) == "none"
    assert "Your digest" in answer.content.decode()
