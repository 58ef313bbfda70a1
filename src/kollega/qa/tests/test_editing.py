"""Editing questions, answers and comments on answers; accepted questions take answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.people.tests.factories import signed_in
from kollega.posts.models import Edit
from kollega.qa import services
from kollega.qa.models import QuestionStatus
from kollega.qa.tests.factories import ask, fresh
from kollega.search.services import Filters, search

CARD = "my card is 4111 1111 1111 1111"


def test_editing_a_question_changes_title_text_tags_and_keeps_the_old(anna, bjorn):
    question = ask(anna, "Which glass for a porter?", tags=["beer"])
    services.edit_question(anna, question, "Which glass for a stout?", "Imperial", tags=["stout"])
    question = fresh(question)
    assert question.title == "Which glass for a stout?"
    assert question.post.body == "Imperial" and question.post.edited_at
    assert sorted(t.name for t in question.post.tags.all()) == ["stout"]
    edit = Edit.objects.get(kind="question", object_id=question.pk)
    assert (edit.title, edit.body, edit.tags) == (
        "Which glass for a porter?",
        "Which glass for a porter?",
        "beer",
    )
    # Search finds the new title, not the old one.
    assert search(bjorn, "stout", Filters(kinds=["question"])).count == 1
    assert search(bjorn, "porter", Filters(kinds=["question"])).count == 0


def test_expertise_follows_an_edited_answer_and_question(anna, bjorn, carla):
    from kollega.expertise.profiles import refresh
    from kollega.expertise.services import find_experts

    question = ask(anna, "Which glass for a porter?", tags=[])
    services.answer_question(bjorn, question, "A nonic pint.")
    refresh([anna.pk, bjorn.pk])
    services.edit_question(anna, question, "Which glass for a gueuze?")
    # Bjørn answered it: he now knows about gueuze, and no longer about porter.
    assert "bjorn" in [e.person.user.username for e in find_experts(carla, "gueuze")]
    assert "bjorn" not in [e.person.user.username for e in find_experts(carla, "porter")]


@pytest.mark.parametrize(
    ("title", "body", "code"),
    [
        ("", "", "empty_title"),
        ("x" * 201, "", "title_too_long"),
        ("Fine title", CARD, "guard_block"),
    ],
)
def test_a_refused_question_edit_changes_nothing(anna, title, body, code):
    question = ask(anna, "The title")
    with pytest.raises(ValidationError) as refused:
        services.edit_question(anna, question, title, body)
    assert refused.value.code == code
    question = fresh(question)
    assert question.title == "The title" and question.post.edited_at is None


def test_only_authors_edit_questions_answers_and_comments(anna, bjorn, carla):
    question = ask(anna)
    answer = services.answer_question(bjorn, question, "Three days.")
    comment = services.comment_on_answer(bjorn, answer, "With a stopper.")
    with pytest.raises(PermissionDenied):
        services.edit_question(carla, question, "Mine now")
    with pytest.raises(PermissionDenied):
        services.edit_answer(anna, answer, "Anna's words")
    with pytest.raises(PermissionDenied):
        services.edit_answer_comment(carla, comment, "Carla's words")
    answer.refresh_from_db()
    comment.refresh_from_db()
    assert answer.body == "Three days." and comment.body == "With a stopper."


def test_answer_and_comment_edits_keep_the_history(anna, bjorn):
    question = ask(anna)
    answer = services.answer_question(bjorn, question, "Three days.")
    comment = services.comment_on_answer(bjorn, answer, "With a stopper.")
    services.edit_answer(bjorn, answer, "Five days, in the fridge.")
    services.edit_answer_comment(bjorn, comment, "With a vacuum stopper.")
    answer.refresh_from_db()
    assert answer.edited_at and "fridge" in answer.body_html
    assert Edit.objects.get(kind="answer", object_id=answer.pk).body == "Three days."
    assert Edit.objects.get(kind="answer_comment", object_id=comment.pk).body == "With a stopper."
    with pytest.raises(ValidationError):
        services.edit_answer(bjorn, answer, CARD)
    answer.refresh_from_db()
    assert answer.body == "Five days, in the fridge."


def test_an_accepted_question_still_takes_answers(anna, bjorn, carla):
    question = ask(anna)
    first = services.answer_question(bjorn, question, "Three days.")
    services.accept_answer(anna, first)
    services.answer_question(carla, fresh(question), "A week with argon.")
    question = fresh(question)
    assert question.status == QuestionStatus.ACCEPTED and question.answer_count == 2
    assert question.accepted_answer_id == first.pk
    page = signed_in(carla).get(question.get_absolute_url()).content.decode()
    assert f'action="/questions/{question.pk}/answer/"' in page


def test_question_edit_page_and_history(anna, bjorn):
    question = ask(anna, "Which glass for a porter?")
    client = signed_in(anna)
    assert client.get(f"/questions/{question.pk}/edit/").status_code == 200
    response = client.post(
        f"/questions/{question.pk}/edit/", {"title": "Which glass for a stout?", "tags": "beer"}
    )
    assert response.status_code == 302
    page = signed_in(bjorn).get(question.get_absolute_url()).content.decode()
    assert "Which glass for a stout?" in page and f"/history/question/{question.pk}/" in page
    history = signed_in(bjorn).get(f"/history/question/{question.pk}/").content.decode()
    assert "Which glass for a porter?" in history
    refused = signed_in(bjorn).post(f"/questions/{question.pk}/edit/", {"title": "Bjørn's"})
    assert refused.status_code == 403
    assert "Only the asker may edit this question." in refused.content.decode()


def test_api_patch_question_and_answer(anna, bjorn, api_as):
    question = ask(anna, "Which glass for a porter?")
    answer = services.answer_question(bjorn, question, "A tulip.")
    response = api_as(anna).patch(
        f"/questions/{question.pk}", {"title": "Which glass for a stout?", "tags": ["stout"]}
    )
    assert response.status_code == 200 and response.json()["title"] == "Which glass for a stout?"
    assert api_as(bjorn).patch(f"/questions/{question.pk}", {"title": "x"}).status_code == 403
    response = api_as(bjorn).patch(f"/answers/{answer.pk}", {"body": "A snifter."})
    assert response.status_code == 200 and response.json()["edited_at"]
    assert api_as(bjorn).patch(f"/answers/{answer.pk}", {"body": CARD}).status_code == 400
    edits = api_as(anna).get(f"/edits/answer/{answer.pk}").json()["items"]
    assert [e["body"] for e in edits] == ["A tulip."]


@pytest.mark.parametrize(
    ("kind", "edit_name"), [("answer", "answers"), ("answer_comment", "answer-comments")]
)
def test_answer_and_answer_comment_edit_pages_and_history(anna, bjorn, kind, edit_name):
    question = ask(anna)
    answer = services.answer_question(bjorn, question, "Three days.")
    comment = services.comment_on_answer(bjorn, answer, "Three days.")
    item = answer if kind == "answer" else comment
    client = signed_in(bjorn)
    assert client.get(f"/{edit_name}/{item.pk}/edit/").status_code == 200
    response = client.post(f"/{edit_name}/{item.pk}/edit/", {"body": "Five days, cold."})
    assert response.status_code == 302
    page = signed_in(anna).get(question.get_absolute_url()).content.decode()
    assert "Five days, cold." in page and f"/history/{kind}/{item.pk}/" in page
    history = signed_in(anna).get(f"/history/{kind}/{item.pk}/").content.decode()
    assert "Three days." in history and "Bjørn" in history
    refused = signed_in(anna).post(f"/{edit_name}/{item.pk}/edit/", {"body": "Anna's"})
    assert refused.status_code == 403
    assert "Only the author may edit this" in refused.content.decode()
    item.refresh_from_db()
    assert item.body == "Five days, cold."


def test_api_patch_an_answer_comment_under_its_own_answer_only(anna, bjorn, api_as):
    question = ask(anna)
    answer = services.answer_question(bjorn, question, "Three days.")
    other = services.answer_question(anna, question, "Two days.")
    comment = services.comment_on_answer(bjorn, answer, "With a stopper.")
    url = f"/answers/{answer.pk}/comments/{comment.pk}"
    response = api_as(bjorn).patch(url, {"body": "With a vacuum stopper."})
    assert response.status_code == 200 and response.json()["edited_at"]
    assert api_as(anna).patch(url, {"body": "Anna's"}).status_code == 403
    assert api_as(bjorn).patch(url, {"body": CARD}).status_code == 400
    mismatched = f"/answers/{other.pk}/comments/{comment.pk}"
    assert api_as(bjorn).patch(mismatched, {"body": "Elsewhere"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "With a vacuum stopper."
    edits = api_as(anna).get(f"/edits/answer_comment/{comment.pk}").json()["items"]
    assert [e["body"] for e in edits] == ["With a stopper."]
