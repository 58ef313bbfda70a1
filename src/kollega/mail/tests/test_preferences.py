"""Choosing which mail comes: the settings page and the API agree, bad values change nothing."""

import pytest

from kollega.notifications.models import MailPreference
from kollega.notifications.services import mail_choice, mail_choices, set_mail_choices
from kollega.people.tests.factories import signed_in

pytestmark = pytest.mark.django_db


def test_by_default_questions_and_invitations_come_at_once_and_the_rest_in_the_digest(anna):
    choices = mail_choices(anna)
    at_once = {kind for kind, choice in choices.items() if choice == "at_once"}
    assert at_once == {
        "question_sent",
        "question_referred",
        "invitation",
        "community_invitation",
        "listening_mention",  # a term's owner answers outside: response time counts
    }
    assert {choice for kind, choice in choices.items() if kind not in at_once} == {"digest"}


def test_the_settings_page_shows_every_kind_and_saves_a_choice(anna):
    browser = signed_in(anna)
    page = browser.get("/settings/mail/").content.decode()
    assert 'name="mention" value="digest" checked' in page
    assert 'name="question_sent" value="at_once" checked' in page
    assert "anna@example.org" in page
    answer = browser.post("/settings/mail/", {"mention": "at_once", "comment": "never"})
    assert answer.status_code == 302
    assert (mail_choice(anna, "mention"), mail_choice(anna, "comment")) == ("at_once", "never")
    assert 'name="comment" value="never" checked' in browser.get("/settings/mail/").content.decode()


def test_the_settings_page_refuses_a_bad_choice_and_saves_nothing(anna):
    answer = signed_in(anna).post("/settings/mail/", {"mention": "at_once", "comment": "hourly"})
    assert answer.status_code == 400
    assert "comment: choose one of at_once, digest, never." in answer.content.decode()
    assert not MailPreference.objects.exists()


def test_the_settings_page_is_in_swedish_for_a_swedish_colleague(anna):
    anna.language = "sv"
    anna.save(update_fields=["language"])
    page = signed_in(anna).get("/settings/mail/").content.decode()
    assert "I min sammanfattning" in page and "Direkt" in page


def test_the_other_settings_pages_link_to_the_mail_settings(anna):
    browser = signed_in(anna)
    for path in ("/me/edit/", "/settings/security/", "/settings/data/"):
        assert 'href="/settings/mail/"' in browser.get(path).content.decode(), path


def test_the_api_reads_and_changes_mail_preferences(anna, api_as):
    api = api_as(anna)
    answer = api.get("/me/mail-preferences")
    assert answer.status_code == 200
    rows = {row["kind"]: row for row in answer.json()["preferences"]}
    assert rows["question_sent"] == {
        "kind": "question_sent",
        "label": "A question you may know",
        "choice": "at_once",
        "default": "at_once",
    }
    answer = api.put("/me/mail-preferences", {"preferences": {"question_sent": "never"}})
    assert answer.status_code == 200
    rows = {row["kind"]: row for row in answer.json()["preferences"]}
    assert (rows["question_sent"]["choice"], rows["mention"]["choice"]) == ("never", "digest")
    assert mail_choice(anna, "question_sent") == "never"


@pytest.mark.parametrize(
    "preferences, says",
    [
        ({"mention": "at_once", "question_sent": "weekly"}, "question_sent: choose one of"),
        ({"mention": "at_once", "tea_break": "never"}, "tea_break is not a kind of notification"),
        ({"mention": "at_once", "comment": 3}, "comment: choose one of"),
    ],
)
def test_the_api_answers_422_to_a_bad_value_and_changes_nothing(anna, api_as, preferences, says):
    answer = api_as(anna).put("/me/mail-preferences", {"preferences": preferences})
    assert answer.status_code == 422
    assert says in answer.json()["detail"]
    assert not MailPreference.objects.exists()


def test_my_data_holds_my_mail_choices_and_erasure_forgets_them_and_my_mails(anna):
    import io
    import json
    import zipfile

    from kollega.mail.models import Delivery
    from kollega.mail.services import queue_mail
    from kollega.people.erasure import erase_person
    from kollega.people.export import export_person

    set_mail_choices(anna, {"mention": "never"})
    queue_mail(anna, kind="test", subject="Hi", text="Hi", html="<p>Hi</p>", headers={})
    archive = io.BytesIO()
    export_person(anna, archive)
    with zipfile.ZipFile(archive) as export:
        [choice] = json.loads(export.read("mail_preferences.json"))
    assert (choice["kind"], choice["choice"]) == ("mention", "never")

    erase_person(anna)
    assert not MailPreference.objects.exists()
    assert not Delivery.objects.filter(address="anna@example.org").exists()
