import re

import pytest

from kollega.people.tests.factories import signed_in
from kollega.qa import services
from kollega.qa.models import Question
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


def test_asking_through_the_form_leads_to_the_question_page(anna):
    response = signed_in(anna).post(
        "/questions/ask/",
        {"title": "Who knows sake?", "body": "", "tags": "sake, #rice", "audience": "organisation"},
    )
    assert response.status_code == 302
    page = signed_in(anna).get(response["Location"])
    assert "Who knows sake?" in page.content.decode()


def test_an_empty_title_shows_the_form_again_with_the_error(anna):
    response = signed_in(anna).post(
        "/questions/ask/", {"title": "", "tags": "sake", "audience": "organisation"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Ask a question</h1>" in html
    title = re.search(r'<input type="text" name="title"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in title
    assert '<span class="error" role="alert">This field is required.</span>' in html
    assert re.search(r'<input type="text" name="tags" value="sake"', html)
    assert not Question.objects.exists()


def test_asking_on_an_unknown_board_says_so_and_asks_nothing(anna, bjorn):
    form = {"title": "Who knows sake?", "tags": "sake", "audience": "organisation"}
    response = signed_in(anna).post("/questions/ask/", {**form, "board": "@nobody"})
    assert response.status_code == 400
    assert "Nobody here is called @nobody." in response.content.decode()
    assert not Question.objects.exists()
    response = signed_in(anna).post("/questions/ask/", {**form, "board": "bjorn"})
    assert response.status_code == 302
    assert Question.objects.get().post.board_owner == bjorn


def test_a_question_post_in_the_stream_links_to_the_question(anna, bjorn):
    question = ask(anna, "Cork or screw cap?")
    html = signed_in(bjorn).get("/").content.decode()
    assert question.get_absolute_url() in html and "Cork or screw cap?" in html


def section(html: str, title_id: str) -> str:
    """The page's <section> headed by the heading with id `title_id`."""
    return re.search(rf'<section[^>]*aria-labelledby="{title_id}".*?</section>', html, re.S)[0]


def test_the_question_pages_show_questions_answers_figures_and_notifications(anna, bjorn):
    question = ask(anna, "How long does an opened red keep?")
    services.send_question(anna, question, [bjorn])
    answer = services.answer_question(bjorn, question, "Five days.")
    services.accept_answer(anna, answer)
    waiting = ask(anna, "Cork or screw cap?")
    services.send_question(anna, waiting, [bjorn])

    mine = section(signed_in(anna).get("/questions/").content.decode(), "mine-title")
    items = re.findall(r'<li class="card question-item">.*?</li>', mine, re.S)
    assert ["Cork or screw cap?" in items[0], "opened red" in items[1]] == [True, True]
    assert "Open" in items[0] and "0 answers" in items[0]
    assert "Accepted" in items[1] and "1 answer" in items[1]
    inbox = section(signed_in(bjorn).get("/questions/").content.decode(), "inbox-title")
    assert "Cork or screw cap?" in inbox
    own_inbox = section(signed_in(anna).get("/questions/").content.decode(), "inbox-title")
    assert "Nothing waits for you." in own_inbox and "Cork or screw cap?" not in own_inbox

    overview = signed_in(anna).get("/questions/overview/").content.decode()
    assert '<tr><th scope="row">Questions asked</th><td>2</td><td>0</td></tr>' in overview
    assert '<td id="answer-rate">50 %</td>' in overview
    unanswered = section(overview, "unanswered-title")
    assert "Cork or screw cap?" in unanswered and "opened red" not in unanswered

    page = signed_in(anna).get(question.get_absolute_url()).content.decode()
    assert "<h1>How long does an opened red keep?</h1>" in page
    accepted = re.search(r'<article class="card answer accepted".*?</article>', page, re.S)[0]
    assert "Bjørn Hansen" in accepted and "Five days." in accepted
    assert "Accepted answer" in accepted
    who = section(page, "referrals-title")
    assert re.search(r"Anna Lindqvist</a> → <a [^>]*>Bjørn Hansen</a>", who)

    notes = signed_in(bjorn).get("/notifications/").content.decode()
    assert "you may know this" in notes and "accepted your answer" in notes


def test_answer_notifications_quote_the_answer(anna, bjorn, api_as):
    question = ask(anna, "How long does an opened red keep?")
    answer = services.answer_question(bjorn, question, "Three to five days, corked, cool.")
    services.accept_answer(anna, answer)
    for person, says in ((anna, "answered a question"), (bjorn, "accepted your answer")):
        notes = signed_in(person).get("/notifications/").content.decode()
        assert says in notes
        assert '<div class="excerpt">Three to five days, corked, cool.</div>' in notes
    items = api_as(anna).get("/notifications").json()["items"]
    assert [(n["kind"], n["answer_id"]) for n in items] == [("question_answered", answer.pk)]


def test_a_refused_referral_shows_the_reason(anna, bjorn):
    question = ask(anna)
    response = signed_in(bjorn).post(f"/questions/{question.pk}/refer/", {"to": "bjorn"})
    assert response.status_code == 400
    assert "yourself" in response.content.decode()


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_the_overview_chart_draws_its_bars_in_swedish_and_norwegian(anna, bjorn, language):
    # A decimal comma in an SVG coordinate ("12,5") makes the browser drop the bar.
    ask(anna, "Cork or screw cap?")
    client = signed_in(anna)
    page = client.get("/questions/overview/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    bar = r'<rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"'
    coordinates = re.findall(bar, page)
    assert coordinates, "the chart has bars"
    for value in (v for bar in coordinates for v in bar):
        float(value)  # a decimal comma would not parse
    assert any("." in v for bar in coordinates for v in bar)
