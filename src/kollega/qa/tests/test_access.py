"""The one way pages and the API reach a question or an answer: the object, or NotFound."""

import pytest

from kollega.permissions import NotFound
from kollega.posts.models import Audience
from kollega.qa import services
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_question(anna, bjorn):
    """A question on Bjørn's board: Anna, Bjørn and Bjørn's contacts see it."""
    return ask(anna, audience=Audience.BOARD, board_owner=bjorn)


def test_visible_question_gives_the_question_to_who_may_see_it(board_question, bjorn):
    assert services.visible_question(bjorn, board_question.pk) == board_question


def test_visible_question_is_not_found_outside_the_audience_or_when_missing(
    board_question, make_person, bjorn
):
    outsider = make_person("Dag Berg", "dag")
    with pytest.raises(NotFound):
        services.visible_question(outsider, board_question.pk)
    with pytest.raises(NotFound):
        services.visible_question(bjorn, board_question.pk + 1000)


def test_visible_answer_follows_its_question(board_question, anna, bjorn, make_person):
    answer = services.answer_question(bjorn, board_question, "Three days, corked.")
    assert services.visible_answer(anna, answer.pk) == answer
    with pytest.raises(NotFound):
        services.visible_answer(make_person("Dag Berg", "dag"), answer.pk)
    with pytest.raises(NotFound):
        services.visible_answer(anna, answer.pk + 1000)


def test_visible_questions_lists_only_what_one_may_see_and_filters_by_state_and_tag(
    board_question, anna, make_person
):
    open_to_all = ask(anna, "Who knows sake?", tags=["Sake"])
    outsider = make_person("Dag Berg", "dag")
    assert list(services.visible_questions(anna)) == [open_to_all, board_question]
    assert list(services.visible_questions(outsider)) == [open_to_all]
    assert list(services.visible_questions(anna, tag="#SAKE")) == [open_to_all]
    assert list(services.visible_questions(anna, status="answered")) == []
    assert list(services.visible_questions(outsider, asked_by=anna)) == [open_to_all]
