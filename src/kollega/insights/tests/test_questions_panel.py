"""The questions panel: answer rate, times to answer, referral hops, by week,
department, community and tag — figures counted by the test from the scenario."""

import statistics
from datetime import timedelta

import pytest

from kollega.qa import services as qa
from kollega.qa.models import Question
from kollega.qa.templatetags.qa_tags import duration

from .scenario import at, chart, figure, org, panel, table

pytestmark = pytest.mark.django_db


def asked(person, title, day, first_after=None, accept_after=None, answerer=None, tags=()):
    question = qa.ask_question(person, title, tags=list(tags))
    if first_after is not None:
        answer = qa.answer_question(answerer, question, "Here is how.")
        if accept_after is not None:
            qa.accept_answer(person, answer)
    Question.objects.filter(pk=question.pk).update(
        asked_at=at(day),
        first_answered_at=at(day) + first_after if first_after is not None else None,
        accepted_at=at(day) + accept_after if accept_after is not None else None,
    )
    return question


def test_the_questions_panel_counts_answer_rate_times_and_weeks():
    o = org()
    sales, it = o["sales"], o["it"]
    h = timedelta(hours=1)
    asked(sales[0], "Where is the VPN guide?", 1, 2 * h, 5 * h, it[0], ["vpn"])
    asked(sales[1], "Who books rooms?", 2, 30 * h, None, it[1], ["rooms"])
    asked(sales[2], "Expense limits?", 9, 10 * h, 50 * h, it[2], ["vpn"])
    asked(it[3], "Unanswered one", 10)
    asked(it[4], "Outside the period", 40, h, None, sales[0])
    figures = panel(o["ada"], "questions")

    firsts = [2 * h, 30 * h, 10 * h]
    assert figure(figures, "Questions asked") == 4
    assert figure(figures, "Answer rate") == f"{round(100 * 3 / 4)} %"
    assert figure(figures, "Median time to first answer") == duration(statistics.median(firsts))
    assert figure(figures, "Median time to accepted answer") == duration(
        statistics.median([5 * h, 50 * h])
    )
    weekly = list(table(chart(figures, "weekly")).values())
    assert weekly == [[2, 2, 1], [2, 1, 1], [0, 0, 0], [0, 0, 0]]
    spread = table(chart(figures, "time-to-answer"))
    assert spread["1–4 hours"] == [1, 0]  # 2 h to a first answer
    assert spread["4–24 hours"] == [1, 1]  # 10 h first; 5 h accepted
    assert spread["1–3 days"] == [1, 1]  # 30 h first; 50 h accepted
    departments = table(chart(figures, "by-department"))
    assert departments["Sales"] == [3, 100, 10.0]  # median of 2, 10 and 30 hours
    assert departments["IT"] == [1, 0, None]
    # Two tags, but each asked by fewer than five people: named, never counted.
    assert table(chart(figures, "by-tag")) == {"#vpn": None, "#rooms": None}


def test_referral_hops_count_how_far_each_question_travelled():
    o = org()
    sales, it = o["sales"], o["it"]
    direct = asked(sales[0], "Sent directly", 1)
    qa.send_question(sales[0], direct, [it[0]])
    referred = asked(sales[1], "Referred on", 2)
    qa.send_question(sales[1], referred, [it[0]])
    qa.refer_question(it[0], referred, it[1])
    asked(sales[2], "Asked nobody", 3)
    hops = table(chart(panel(o["ada"], "questions"), "referral-hops"))
    assert hops == {
        "Asked nobody": [1],
        "Sent directly": [1],
        "Referred once": [1],
        "Referred twice or more": [0],
    }


def test_a_tag_is_counted_once_five_people_asked_under_it():
    o = org()
    for i, person in enumerate(o["sales"][:5]):
        question = qa.ask_question(person, f"Trip {i}?", tags=["travel"])
        Question.objects.filter(pk=question.pk).update(asked_at=at(i))
    figures = panel(o["ada"], "questions")
    assert table(chart(figures, "by-tag"))["#travel"] == [5, 0, None]
