"""The digest choice on the mail settings page and in the API, and the preview page."""

import pytest

from kollega.digests.services import digest_choice
from kollega.notifications.services import mail_choice
from kollega.people.tests.factories import signed_in
from kollega.qa.services import ask_question, send_question

pytestmark = pytest.mark.django_db


def fresh(person):
    return type(person).objects.get(pk=person.pk)


def test_choosing_a_weekly_digest_on_the_mail_settings_page(anna):
    client = signed_in(anna)
    page = client.get("/settings/mail/").content.decode()
    assert 'name="digest" value="daily" checked' in page
    assert 'href="/settings/mail/digest/"' in page

    answer = client.post("/settings/mail/", {"digest": "weekly", "mention": "never"})

    assert answer.status_code == 302
    assert digest_choice(fresh(anna)) == "weekly" and mail_choice(anna, "mention") == "never"


def test_a_bad_digest_choice_changes_nothing(anna):
    answer = signed_in(anna).post("/settings/mail/", {"digest": "hourly", "mention": "never"})

    assert answer.status_code == 400
    assert digest_choice(fresh(anna)) == "daily" and mail_choice(anna, "mention") == "digest"


def test_the_api_reads_and_sets_the_digest(api_as, anna):
    api = api_as(anna)
    assert api.get("/me/mail-preferences").json()["digest"] == "daily"

    answer = api.put("/me/mail-preferences", {"preferences": {}, "digest": "none"})

    assert answer.status_code == 200 and answer.json()["digest"] == "none"
    assert len(answer.json()["preferences"]) > 5  # the shape is kept
    bad = api.put("/me/mail-preferences", {"preferences": {"mention": "never"}, "digest": "x"})
    assert bad.status_code == 422
    assert mail_choice(anna, "mention") == "digest"  # nothing changed


def test_the_preview_shows_the_mail_as_it_would_go_out(anna, bjorn, settings):
    settings.KOLLEGA_SITE_URL = "https://kollega.example"
    question = ask_question(anna, "Saison yeast?")
    send_question(anna, question, [bjorn])
    client = signed_in(bjorn)

    page = client.get("/settings/mail/digest/").content.decode()
    mail = client.get("/settings/mail/digest/mail/?period=daily")

    assert "Your daily Kollega digest" in page and "/settings/mail/digest/mail/" in page
    assert "Saison yeast?" in mail.content.decode()
    assert "style-src 'unsafe-inline'" in mail["Content-Security-Policy"]
    assert "script" not in mail["Content-Security-Policy"]
    assert "Your daily Kollega digest: 1 item" in mail.content.decode()
    assert f'href="https://kollega.example/questions/{question.pk}/"' in mail.content.decode()


def test_the_preview_says_when_nothing_would_be_sent(anna):
    page = signed_in(anna).get("/settings/mail/digest/?period=weekly").content.decode()

    assert "Nothing to tell you for this period, so no digest would be sent." in page
