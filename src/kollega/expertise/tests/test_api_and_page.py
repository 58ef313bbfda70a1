"""The experts API and the "Who knows?" page."""

from django.urls import reverse

from kollega.people.services import tag_person
from kollega.people.tests.factories import PASSWORD
from kollega.qa import services as qa
from kollega.qa.tests.factories import ask


def test_api_lists_experts_with_evidence_and_path(api_as, anna, bjorn, carla):
    question = ask(carla, "How long can I store an opened bottle?", tags=["storage"])
    answer = qa.answer_question(bjorn, question, "Three days.")
    qa.accept_answer(carla, answer)
    response = api_as(anna).get("/experts?q=storage")
    assert response.status_code == 200
    first = response.json()[0]
    assert first["person"]["username"] == "bjorn"
    assert first["evidence"][0]["kind"] == "accepted_answer"
    assert (
        first["evidence"][0]["label"]
        == "accepted answer to “How long can I store an opened bottle?”"
    )
    assert first["evidence"][0]["url"].startswith("http")
    assert first["path"]["kind"] == "none"


def test_api_refuses_bad_input_clearly(api_as, anna):
    client = api_as(anna)
    assert client.get("/experts?q=").status_code == 400
    response = client.get("/experts?q=wine&department=999999")
    assert response.status_code == 400
    assert "no department" in response.json()["detail"]
    assert client.get("/experts?q=wine&limit=0").status_code == 400
    assert client.get("/experts").status_code == 400


def test_the_openapi_document_describes_experts(api_as, anna):
    document = api_as(anna).get("/openapi.json").json()
    assert "/api/v1/experts" in document["paths"]


def test_who_knows_page_explains_each_colleague(client, anna, bjorn, carla):
    tag_person(carla, bjorn, ["storage"])
    client.login(username="anna", password=PASSWORD)
    page = client.get(reverse("experts"), {"q": "storage"}).content.decode()
    assert "Bjørn Hansen" in page and "tagged storage by 1 colleague" in page
    empty = client.get(reverse("experts"), {"q": "quantum"}).content.decode()
    assert "Nobody has left evidence" in empty


def test_an_invitee_finds_no_member_of_a_restricted_community(api_as, client, anna, bjorn, carla):
    from kollega.communities.models import Community
    from kollega.communities.services import (
        accept_community_invitation,
        create_community,
        invite_to_community,
    )

    secret = create_community(anna, "Cellar board", tags=["cellar"], kind=Community.Kind.RESTRICTED)
    accept_community_invitation(bjorn, invite_to_community(anna, secret, bjorn))
    invite_to_community(anna, secret, carla)

    response = api_as(carla).get("/experts?q=cellar")
    assert (response.status_code, response.json()) == (200, [])
    assert api_as(carla).get(f"/communities/{secret.slug}/members").status_code == 404
    client.login(username="carla", password=PASSWORD)
    page = client.get(reverse("experts"), {"q": "cellar"}).content.decode()
    assert "Cellar board" not in page and "Anna" not in page
    # A member is shown the owner, with the community as the reason.
    assert "runs the community Cellar board" in str(api_as(bjorn).get("/experts?q=cellar").json())
