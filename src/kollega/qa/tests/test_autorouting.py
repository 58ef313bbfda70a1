"""Routing that acts: sent at once to the top suggestions, escalated when nobody answers
in working hours, and never more than the daily cap of routed questions to anyone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kollega.people.services import tag_person
from kollega.people.tests.factories import make_person, signed_in
from kollega.qa import services
from kollega.qa.models import Question, Referral, Routed, RoutingPlan
from kollega.qa.services.autorouting import Routing, working_deadline
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db

TAGS = ["wine", "cellar", "cork", "glass", "grape"]
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=STOCKHOLM)


def test_the_wait_counts_working_hours_only():
    assert working_deadline(MONDAY_9, 240, STOCKHOLM) == datetime(
        2026, 12, 7, 13, 0, tzinfo=STOCKHOLM
    )
    friday_16 = datetime(2026, 12, 11, 16, 0, tzinfo=STOCKHOLM)
    assert working_deadline(friday_16, 240, STOCKHOLM) == datetime(
        2026, 12, 14, 11, 0, tzinfo=STOCKHOLM
    )
    saturday = datetime(2026, 12, 12, 20, 0, tzinfo=STOCKHOLM)
    assert working_deadline(saturday, 30, STOCKHOLM) == datetime(
        2026, 12, 14, 8, 30, tzinfo=STOCKHOLM
    )


def test_the_wait_is_counted_in_the_recipients_time_zone(anna, bjorn):
    bjorn.time_zone = "America/New_York"
    bjorn.save(update_fields=["time_zone"])
    tag_person(bjorn, bjorn, ["wine"])
    question = ask(anna)
    services.route_question(anna, question, Routing(batch=3, wait_hours=1), now=MONDAY_9)
    # 09:00 in Stockholm is 03:00 in New York: Bjørn's hour starts at 08:00 there.
    assert question.routing.deadline == datetime(
        2026, 12, 7, 9, 0, tzinfo=ZoneInfo("America/New_York")
    )


def _experts(*names):
    people = [make_person(name.title(), name) for name in names]
    for rank, person in enumerate(people):
        # Fewer tags for the later ones, so the suggestions come in this order.
        tag_person(person, person, TAGS[: 5 - rank])
    return people


def test_asking_with_routing_sends_to_the_top_three_and_escalates_after_the_deadline(anna):
    first, second, third, fourth, fifth = _experts("ola", "per", "rut", "siv", "tor")
    question = ask(anna, tags=TAGS, routing=Routing())
    sent = list(Referral.objects.filter(question=question))
    assert {r.person for r in sent} == {first, second, third}
    assert {r.routed for r in sent} == {Routed.AUTO}
    plan = question.routing
    assert plan.state == RoutingPlan.State.WAITING
    assert services.escalate_due_questions(now=plan.deadline - timedelta(minutes=1)) == []
    escalated = services.escalate_due_questions(now=plan.deadline)
    assert {r.person for r in escalated} == {fourth, fifth}
    assert {r.routed for r in escalated} == {Routed.ESCALATED}
    plan.refresh_from_db()
    assert plan.rounds == 2
    services.escalate_due_questions(now=plan.deadline)
    plan.refresh_from_db()
    assert plan.state == RoutingPlan.State.EXHAUSTED


def test_an_answer_or_a_referral_before_the_deadline_stops_the_escalation(anna, bjorn, carla):
    ola, per = _experts("ola", "per")
    answered = ask(anna, "Answered", routing=Routing(batch=1))
    services.answer_question(ola, answered, "Two days.")
    referred = ask(anna, "Referred", routing=Routing(batch=1))
    services.refer_question(ola, referred, carla)
    later = datetime.now(UTC) + timedelta(days=10)
    assert services.escalate_due_questions(now=later) == []
    for question in (answered, referred):
        question.routing.refresh_from_db()
        assert question.routing.state == RoutingPlan.State.SETTLED


def test_nobody_gets_more_routed_questions_a_day_than_the_cap(anna, settings):
    settings.KOLLEGA_ROUTING_DAILY_CAP = 2
    ola, per, rut = _experts("ola", "per", "rut")
    for n in range(3):
        ask(anna, f"Question {n}", tags=TAGS, routing=Routing(batch=1))
    asked = [r.person for r in Referral.objects.order_by("pk")]
    assert asked == [ola, ola, per]
    # A send by hand is the asker's own choice: not capped.
    by_hand = services.send_question(anna, ask(anna, "By hand"), [ola])
    assert [(r.person, r.routed) for r in by_hand] == [(ola, "")]
    assert Referral.objects.filter(person=ola).count() == 3


def test_bad_routing_choices_are_refused_and_nothing_is_asked(anna):
    _experts("ola")
    for wait, message in [
        (0, "must be after now"),
        (-2, "must be after now"),
        ("soon", "must be a number of hours"),
        ("nan", "must be a number of hours"),
        (1000, "at most"),
    ]:
        with pytest.raises(ValidationError, match=message):
            ask(anna, routing=Routing(wait_hours=wait))
    for batch in (0, 11, "three"):
        with pytest.raises(ValidationError, match="between 1 and 10"):
            ask(anna, routing=Routing(batch=batch))
    assert Question.objects.count() == 0 and Referral.objects.count() == 0


def test_the_ask_page_sends_at_once_and_who_was_asked_shows_it(anna):
    ola, per = _experts("ola", "per")
    client = signed_in(anna)
    form = {"title": "Which cork?", "tags": "wine", "audience": "organisation"}
    bad = client.post("/questions/ask/", {**form, "route": "on", "route_wait_hours": "-1"})
    assert bad.status_code == 400 and "must be after now" in bad.content.decode()
    assert Question.objects.count() == 0
    response = client.post(
        "/questions/ask/", {**form, "route": "on", "route_batch": "2", "route_wait_hours": "4"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "sent automatically" in page and ola.name in page and per.name in page
    assert 'id="routing-plan"' in page
    assert 'id="routing-plan"' not in signed_in(ola).get(response["Location"]).content.decode()


def test_the_api_routes_and_refuses_a_past_deadline(anna, api_as):
    (ola,) = _experts("ola")
    client = api_as(anna)
    refused = client.post("/questions", {"title": "Cork?", "route": {"wait_hours": 0}})
    assert refused.status_code == 400 and "after now" in refused.content.decode()
    assert Question.objects.count() == 0
    made = client.post("/questions", {"title": "Cork?", "tags": ["wine"], "route": {"batch": 1}})
    assert made.status_code == 201, made.content
    question_id = made.json()["id"]
    referrals = client.get(f"/questions/{question_id}/referrals").json()
    assert [(r["person"]["username"], r["routed"]) for r in referrals] == [("ola", "auto")]
    routing = client.get(f"/questions/{question_id}/routing").json()
    assert routing["state"] == "waiting" and routing["wait_minutes"] == 240
    # Only the asker sees how it is sent on: ola, who may see the question, does not.
    assert api_as(ola).get(f"/questions/{question_id}/routing").status_code == 404
