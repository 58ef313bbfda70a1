"""Similar questions while asking: the closest ones the asker may see, accepted first."""

from kollega.people.tests.factories import signed_in
from kollega.qa import services
from kollega.qa.tests.factories import ask


def titles(questions) -> list[str]:
    return [q.title for q in questions]


def test_the_closest_visible_questions_come_first_accepted_ones_before(anna, bjorn, carla, dag):
    open_one = ask(bjorn, "How long does opened red wine keep in the fridge?", tags=["wine"])
    accepted = ask(carla, "Does red wine keep longer with a vacuum stopper?", tags=["wine"])
    answer = services.answer_question(dag, accepted, "A day or two more.")
    services.accept_answer(carla, answer)
    ask(bjorn, "Which hops make an IPA bitter?", tags=["beer"])
    found = services.similar_questions(dag, "How long does red wine keep once opened?")
    assert titles(found) == [accepted.title, open_one.title]


def test_never_ones_own_nor_what_the_asker_may_not_see(anna, bjorn, carla):
    ask(anna, "How long does opened red wine keep?")
    # On Bjørn's board for his contacts only: Carla is not one.
    ask(bjorn, "How long does red wine keep in a decanter?", audience="board")
    ask(carla, "How long does red wine keep in a box?")
    assert titles(services.similar_questions(anna, "How long does red wine keep?")) == [
        "How long does red wine keep in a box?"
    ]
    assert "How long does red wine keep in a decanter?" not in titles(
        services.similar_questions(carla, "How long does red wine keep?")
    )


def test_a_title_in_swedish_finds_other_forms_of_its_words(anna, bjorn):
    ask(bjorn, "Hur länge håller öppnade vinflaskor?")
    found = services.similar_questions(anna, "Hur länge håller en öppnad vinflaska")
    assert titles(found) == ["Hur länge håller öppnade vinflaskor?"]


def test_too_little_typed_finds_nothing(anna, bjorn):
    ask(bjorn, "How long does opened red wine keep?")
    assert services.similar_questions(anna, "wine") == []
    assert services.similar_questions(anna, "   ") == []


def test_the_ask_page_asks_as_the_title_is_typed_and_shows_answer_counts(anna, bjorn, carla):
    question = ask(bjorn, "How long does opened red wine keep?")
    services.answer_question(carla, question, "Three days.")
    page = signed_in(anna).get("/questions/ask/").content.decode()
    assert 'hx-trigger="input changed delay:300ms"' in page and 'id="similar-questions"' in page
    fragment = signed_in(anna).get("/questions/similar/", {"title": "How long does red wine keep?"})
    html = fragment.content.decode()
    assert question.get_absolute_url() in html and "1 answer" in html
    nothing = signed_in(anna).get("/questions/similar/", {"title": "Quantum chromodynamics?"})
    assert "No similar questions found." in nothing.content.decode()


def test_the_api_answers_the_same_suggestions(anna, bjorn, api_as):
    question = ask(bjorn, "How long does opened red wine keep?")
    response = api_as(anna).get("/questions/similar", {"title": "How long does red wine keep?"})
    assert response.status_code == 200
    assert [q["id"] for q in response.json()] == [question.pk]
    mine = api_as(bjorn).get("/questions/similar", {"title": "How long does red wine keep?"})
    assert mine.json() == []
