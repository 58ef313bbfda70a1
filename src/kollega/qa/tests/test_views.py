import pytest
from django.test import Client

from kollega.qa import services
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_asking_through_the_form_leads_to_the_question_page(anna):
    response = client_for(anna).post(
        "/questions/ask/",
        {"title": "Who knows sake?", "body": "", "tags": "sake, #rice", "audience": "organisation"},
    )
    assert response.status_code == 302
    page = client_for(anna).get(response["Location"])
    assert "Who knows sake?" in page.content.decode()


def test_an_empty_title_shows_the_form_again_with_the_error(anna):
    response = client_for(anna).post("/questions/ask/", {"title": "", "audience": "organisation"})
    assert response.status_code == 400


def test_a_question_post_in_the_stream_links_to_the_question(anna, bjorn):
    question = ask(anna, "Cork or screw cap?")
    html = client_for(bjorn).get("/").content.decode()
    assert question.get_absolute_url() in html and "Cork or screw cap?" in html


def test_pages_render(anna, bjorn):
    question = ask(anna)
    services.send_question(anna, question, [bjorn])
    answer = services.answer_question(bjorn, question, "Five days.")
    services.accept_answer(anna, answer)
    for path in (
        "/questions/",
        "/questions/overview/",
        question.get_absolute_url(),
        "/notifications/",
    ):
        assert client_for(anna).get(path).status_code == 200, path
    notes = client_for(bjorn).get("/notifications/").content.decode()
    assert "you may know this" in notes and "accepted your answer" in notes


def test_answer_notifications_quote_the_answer(anna, bjorn, api_as):
    question = ask(anna, "How long does an opened red keep?")
    answer = services.answer_question(bjorn, question, "Three to five days, corked, cool.")
    services.accept_answer(anna, answer)
    for person, says in ((anna, "answered a question"), (bjorn, "accepted your answer")):
        notes = client_for(person).get("/notifications/").content.decode()
        assert says in notes
        assert '<div class="excerpt">Three to five days, corked, cool.</div>' in notes
    items = api_as(anna).get("/notifications").json()["items"]
    assert [(n["kind"], n["answer_id"]) for n in items] == [("question_answered", answer.pk)]


def test_a_refused_referral_shows_the_reason(anna, bjorn):
    question = ask(anna)
    response = client_for(bjorn).post(f"/questions/{question.pk}/refer/", {"to": "bjorn"})
    assert response.status_code == 400
    assert "yourself" in response.content.decode()
