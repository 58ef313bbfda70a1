"""Notifications over the API: listed through the permission module, marked read."""

import pytest

from kollega.network.services import connect, remove_contact, send_invitation
from kollega.notifications.models import Notification
from kollega.posts.models import Audience
from kollega.posts.services import post_on_board

pytestmark = pytest.mark.django_db


def test_listing_counting_and_reading_notifications(anna, bjorn, carla, api_as):
    send_invitation(bjorn, anna, "Hello")
    post_on_board(carla, "Hi @anna")
    api = api_as(anna)

    page = api.get("/notifications").json()
    assert [n["kind"] for n in page["items"]] == ["mention", "invitation"]
    mention, invitation = page["items"]
    assert mention["actor"] == {"username": "carla", "name": "Carla Smith"}
    assert mention["post_id"] is not None and mention["read_at"] is None
    assert mention["kind_label"] == "Mention"
    assert invitation["invitation_id"] is not None
    assert api.get("/notifications/unread-count").json() == {"count": 2}

    assert api.post(f"/notifications/{mention['id']}/read").status_code == 204
    assert api.get("/notifications/unread-count").json() == {"count": 1}
    unread = api.get("/notifications", {"unread": "true"}).json()
    assert [n["kind"] for n in unread["items"]] == ["invitation"]

    assert api.post("/notifications/read").json() == {"count": 1}
    assert api.get("/notifications/unread-count").json() == {"count": 0}
    assert api.get("/notifications", {"unread": "true"}).json()["items"] == []


def test_one_cannot_read_someone_elses_notifications(anna, bjorn, api_as):
    post_on_board(bjorn, "Hi @anna")
    notification = Notification.objects.get()
    response = api_as(bjorn).post(f"/notifications/{notification.pk}/read")
    assert response.status_code == 404
    assert api_as(bjorn).post("/notifications/999/read").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_about_a_post_no_longer_visible_is_left_out(anna, bjorn, api_as):
    connect(anna, bjorn)
    post_on_board(bjorn, "Between us, @anna", audience=Audience.NETWORK)
    api = api_as(anna)
    assert api.get("/notifications/unread-count").json() == {"count": 1}
    remove_contact(anna, bjorn)
    assert api.get("/notifications").json() == {"items": [], "count": 0, "next_offset": None}
    assert api.get("/notifications/unread-count").json() == {"count": 0}
    hidden = Notification.objects.get()
    assert api.post(f"/notifications/{hidden.pk}/read").status_code == 404
