import pytest

from kollega.network.services import connect
from kollega.people.services import tag_person
from kollega.posts.models import Audience
from kollega.qa.models import Referral
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


def test_the_whole_journey_through_the_api(api_as, anna, bjorn, carla, dag):
    tag_person(carla, bjorn, ["wine"])
    a, b, c, d = (api_as(p) for p in (anna, bjorn, carla, dag))
    response = a.post("/questions", {"title": "Opened wine?", "tags": ["wine"]})
    assert response.status_code == 201, response.json()
    qid = response.json()["id"]
    assert response.json()["status"] == "open"

    suggestions = a.get(f"/questions/{qid}/suggestions").json()
    assert suggestions[0]["person"]["username"] == "bjorn"
    assert suggestions[0]["reasons"] == ["tagged wine by 1 colleague"]

    assert a.post(f"/questions/{qid}/recipients", {"people": ["bjorn"]}).status_code == 201
    assert [q["id"] for q in b.get("/questions/inbox").json()["items"]] == [qid]
    referral = b.post(f"/questions/{qid}/referrals", {"to": "carla"})
    assert referral.status_code == 201
    assert [p["username"] for p in referral.json()["chain"]] == ["anna", "bjorn", "carla"]

    answer = c.post(f"/questions/{qid}/answers", {"body": "Five days."})
    assert answer.status_code == 201
    aid = answer.json()["id"]
    assert d.post(f"/answers/{aid}/confirmation").json()["confirmation_count"] == 1
    assert d.post(f"/answers/{aid}/helpful").status_code == 201
    assert d.post(f"/answers/{aid}/helpful").status_code == 400
    assert b.post(f"/answers/{aid}/acceptance").status_code == 403
    accepted = a.post(f"/answers/{aid}/acceptance")
    assert accepted.status_code == 200
    body = accepted.json()
    assert body["status"] == "accepted" and body["accepted_answer_id"] == aid
    assert body["referral_hops"] == 2 and body["seconds_to_first_answer"] is not None


def test_referring_to_someone_who_may_not_see_is_a_400_and_nothing_is_stored(
    api_as, anna, bjorn, carla, dag
):
    connect(bjorn, carla)
    question = ask(anna, audience=Audience.BOARD, board_owner=bjorn)
    response = api_as(carla).post(f"/questions/{question.pk}/referrals", {"to": "dag"})
    assert response.status_code == 400
    assert "may not see" in response.json()["detail"]
    assert not Referral.objects.exists()
    assert api_as(dag).get(f"/questions/{question.pk}").status_code == 404
    assert api_as(dag).get(f"/questions/{question.pk}/answers").status_code == 404
