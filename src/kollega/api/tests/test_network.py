"""Contacts, invitations and follows over the API."""

import pytest

from kollega.network.models import Contact, Invitation, PersonFollow, TagFollow
from kollega.network.services import are_contacts, connect, send_invitation

pytestmark = pytest.mark.django_db


def test_inviting_accepting_and_the_contact_lists(anna, bjorn, carla, api_as):
    response = api_as(anna).post("/invitations", {"username": "@bjorn", "message": "Hej!"})
    assert response.status_code == 201
    invitation = response.json()
    assert invitation["status"] == "pending" and invitation["message"] == "Hej!"
    assert invitation["recipient"] == {"username": "bjorn", "name": "Bjørn Hansen"}

    as_bjorn = api_as(bjorn)
    waiting = as_bjorn.get("/invitations").json()
    assert [i["id"] for i in waiting["items"]] == [invitation["id"]]
    response = as_bjorn.post(f"/invitations/{invitation['id']}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert are_contacts(anna, bjorn)
    assert as_bjorn.get("/invitations").json()["items"] == []

    connect(bjorn, carla)
    mine = api_as(anna).get("/contacts").json()
    assert [p["username"] for p in mine["items"]] == ["bjorn"] and mine["count"] == 1
    theirs = api_as(anna).get("/people/bjorn/contacts").json()
    assert [p["username"] for p in theirs["items"]] == ["anna", "carla"]
    assert api_as(anna).get("/people/ghost/contacts").status_code == 404


def test_ignoring_and_withdrawing_invitations(anna, bjorn, carla, api_as):
    first = send_invitation(anna, bjorn)
    second = send_invitation(anna, carla)
    assert api_as(bjorn).post(f"/invitations/{first.pk}/ignore").json()["status"] == "ignored"
    assert api_as(anna).post(f"/invitations/{second.pk}/withdraw").json()["status"] == "withdrawn"
    assert Contact.objects.count() == 0


def test_answering_invitations_one_may_not_answer(anna, bjorn, carla, api_as):
    invitation = send_invitation(anna, bjorn)
    # the sender may not accept their own invitation
    response = api_as(anna).post(f"/invitations/{invitation.pk}/accept")
    assert response.status_code == 403
    assert response.json()["detail"] == "This invitation is not addressed to you."
    # someone else's invitation is as unknown as a missing one
    assert api_as(carla).post(f"/invitations/{invitation.pk}/accept").status_code == 404
    assert api_as(carla).post("/invitations/999/accept").status_code == 404
    # an answered invitation cannot be answered again
    api_as(bjorn).post(f"/invitations/{invitation.pk}/ignore")
    response = api_as(bjorn).post(f"/invitations/{invitation.pk}/accept")
    assert response.status_code == 400
    assert response.json()["detail"] == "This invitation has already been answered."
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("username", "message", "detail"),
    [
        ("anna", "", "You cannot invite yourself."),
        ("ghost", "", "Nobody here is called @ghost."),
        ("bjorn", "x" * 501, "The message is too long (at most 500 characters)."),
    ],
)
def test_bad_invitations_are_400_and_change_nothing(anna, bjorn, api_as, username, message, detail):
    response = api_as(anna).post("/invitations", {"username": username, "message": message})
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert Invitation.objects.count() == 0


def test_a_second_invitation_is_400(anna, bjorn, api_as):
    api = api_as(anna)
    assert api.post("/invitations", {"username": "bjorn"}).status_code == 201
    response = api.post("/invitations", {"username": "bjorn"})
    assert response.status_code == 400
    assert response.json() == {"detail": "You have already invited Bjørn Hansen."}
    assert Invitation.objects.count() == 1


def test_inviting_someone_who_invited_me_accepts_their_invitation(anna, bjorn, api_as):
    send_invitation(bjorn, anna)
    response = api_as(anna).post("/invitations", {"username": "bjorn"})
    assert response.status_code == 201 and response.json()["status"] == "accepted"
    assert are_contacts(anna, bjorn)


def test_removing_a_contact(anna, bjorn, api_as):
    connect(anna, bjorn)
    api = api_as(anna)
    assert api.delete("/contacts/bjorn").status_code == 204
    assert Contact.objects.count() == 0
    response = api.delete("/contacts/bjorn")
    assert response.status_code == 400 and response.json() == {"detail": "You are not contacts."}
    assert api.delete("/contacts/ghost").status_code == 404


def test_following_and_unfollowing_people_and_tags(anna, bjorn, api_as):
    api = api_as(anna)
    assert api.post("/people/bjorn/follow").status_code == 204
    assert api.post("/people/bjorn/follow").status_code == 204  # twice is once
    assert PersonFollow.objects.filter(follower=anna, followed=bjorn).count() == 1
    assert api.get("/people/bjorn").json()["following"] is True
    assert api.delete("/people/bjorn/follow").status_code == 204
    assert PersonFollow.objects.count() == 0

    response = api.post("/people/anna/follow")
    assert response.status_code == 400
    assert response.json() == {"detail": "You cannot follow yourself."}
    assert api.post("/people/ghost/follow").status_code == 404

    assert api.post("/tags/Wine/follow").json() == {"name": "wine"}
    assert TagFollow.objects.get().tag.name == "wine"
    assert api.delete("/tags/wine/follow").status_code == 204
    assert TagFollow.objects.count() == 0
    assert api.delete("/tags/never-seen/follow").status_code == 404
    assert api.post("/tags/bad tag!/follow").status_code == 400
    assert TagFollow.objects.count() == 0
