"""The people picker's suggestions: /pick/people/?q= (people/picking.py)."""

import re

import pytest

from kollega.people.tests.factories import deactivate, make_department, make_person, signed_in
from kollega.posts.models import Audience
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


def offered(client, typed: str, **params) -> list[str]:
    response = client.get("/pick/people/", {"q": typed, **params})
    assert response.status_code == 200
    return re.findall(r'<li role="option"[^>]* data-username="([^"]+)"', response.content.decode())


def test_a_few_letters_of_a_name_title_or_department_suggest_colleagues(anna):
    finance = make_department("Finance")
    make_person("Magne Eide", "magne.eide", title="Sommelier")
    make_person("Maja Berg", "maja", department=finance)
    make_person("Ola Nordmann", "ola", title="Wine buyer", department=finance)
    client = signed_in(anna)
    assert offered(client, "ma") == ["magne.eide", "maja"]
    assert offered(client, "somm") == ["magne.eide"]
    assert offered(client, "fin") == ["maja", "ola"]
    assert offered(client, "@magne") == ["magne.eide"]
    assert offered(client, "") == []


def test_a_bare_at_sign_asks_for_a_few_letters(anna):
    # "@" in a composer opens the suggestions before any letter is typed.
    html = signed_in(anna).get("/pick/people/", {"q": ""}).content.decode()
    assert 'aria-disabled="true"' in html and "Type a few letters of a colleague" in html


def test_each_suggestion_shows_photo_title_and_department_as_an_option(anna):
    make_person("Magne Eide", "magne.eide", title="Sommelier", department=make_department("Wine"))
    html = signed_in(anna).get("/pick/people/", {"q": "magne"}).content.decode()
    assert 'role="option"' in html and 'aria-selected="false"' in html
    assert '<img class="avatar" src="/people/magne.eide/avatar.svg" alt=""' in html
    assert "Magne Eide" in html and "@magne.eide · Sommelier · Wine" in html


def test_nobody_found_is_said_and_cannot_be_chosen(anna):
    html = signed_in(anna).get("/pick/people/", {"q": "zzz"}).content.decode()
    assert 'aria-disabled="true"' in html and "No colleague found for “zzz”." in html
    assert "data-username" not in html


def test_people_who_left_and_oneself_are_not_offered(anna):
    gone = make_person("Anja Gone", "anja")
    deactivate(gone)
    assert offered(signed_in(anna), "an") == []


def test_for_a_question_only_colleagues_who_may_see_it_are_offered(anna, bjorn, carla):
    from kollega.network.services import connect

    connect(anna, bjorn)
    question = ask(anna, "Which cork?", audience=Audience.BOARD)
    client = signed_in(bjorn)
    # carla is not anna's contact: she may not see it; anna asked it.
    assert offered(client, "carla", question=question.pk) == []
    assert offered(client, "anna", question=question.pk) == []
    assert offered(client, "carla") == ["carla"] and offered(client, "anna") == ["anna"]


def test_for_a_question_someone_already_asked_is_not_offered(anna, bjorn, carla):
    from kollega.qa.services import send_question

    question = ask(anna, "Which cork?")
    send_question(anna, question, [bjorn])
    client = signed_in(anna)
    # The send would refuse bjorn ("has already been asked"): he is not offered.
    assert offered(client, "bjorn", question=question.pk) == []
    assert offered(client, "carla", question=question.pk) == ["carla"]
    assert offered(client, "bjorn") == ["bjorn"]


def test_a_question_the_viewer_may_not_see_answers_not_found(anna, carla):
    question = ask(anna, "Which cork?", audience=Audience.BOARD)
    assert (
        signed_in(carla).get("/pick/people/", {"q": "a", "question": question.pk}).status_code
        == 404
    )
    assert signed_in(carla).get("/pick/people/", {"q": "a", "question": "x"}).status_code == 404


def test_signing_in_is_needed(client):
    assert client.get("/pick/people/", {"q": "a"}).status_code in (302, 401, 403)


def profile_form(person, **changes) -> dict:
    values = {"name": person.name, "title": person.title, "language": "", "time_zone": ""}
    values["board_visibility"] = person.board_visibility
    return {**values, **changes}


def test_the_manager_is_named_with_the_picker_by_user_name(anna, bjorn):
    client = signed_in(anna)
    page = client.get("/me/edit/").content.decode()
    assert re.search(r'<input id="id_manager" name="manager" value=""[^>]*role="combobox"', page)
    response = client.post("/me/edit/", profile_form(anna, manager="@bjorn"))
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.manager == bjorn
    page = client.get("/me/edit/").content.decode()
    assert '<input id="id_manager" name="manager" value="bjorn"' in page


@pytest.mark.parametrize(
    "typed, error",
    [("nobody.here", "Nobody here is called @nobody.here."), ("anna", "your own manager")],
)
def test_an_unknown_manager_or_oneself_is_a_clear_error_and_nothing_changes(
    anna, bjorn, typed, error
):
    client = signed_in(anna)
    client.post("/me/edit/", profile_form(anna, manager="bjorn"))
    response = client.post("/me/edit/", profile_form(anna, manager=typed, title="Changed"))
    assert response.status_code in (200, 400)
    assert error in response.content.decode()
    anna.refresh_from_db()
    assert (anna.manager, anna.title) == (bjorn, "")


def test_the_ask_page_names_the_board_owner_with_the_picker(anna):
    page = signed_in(anna).get("/questions/ask/").content.decode()
    assert re.search(r'<input id="id_board" name="board" value=""[^>]*role="combobox"', page)
