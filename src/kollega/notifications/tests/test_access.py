"""Reaching one notification: one's own while it is shown, else NotFound."""

import pytest

from kollega.network.services import connect, remove_contact
from kollega.notifications.services import notifications_for, visible_notification
from kollega.permissions import NotFound
from kollega.posts.models import Audience
from kollega.posts.services import post_on_board

pytestmark = pytest.mark.django_db


def test_ones_own_notification_is_found_and_no_one_elses(anna, bjorn):
    post_on_board(bjorn, "Hi @anna")
    note = notifications_for(anna).get()
    assert visible_notification(anna, note.pk) == note
    with pytest.raises(NotFound):
        visible_notification(bjorn, note.pk)
    with pytest.raises(NotFound):
        visible_notification(anna, note.pk + 1000)


def test_a_notification_about_a_post_no_longer_visible_is_not_found(anna, bjorn, client):
    connect(anna, bjorn)
    post_on_board(bjorn, "Hi @anna", audience=Audience.NETWORK)
    note = notifications_for(anna).get()
    remove_contact(bjorn, anna)
    with pytest.raises(NotFound):
        visible_notification(anna, note.pk)
    client.force_login(anna.user)
    assert client.post(f"/api/v1/notifications/{note.pk}/read").status_code == 404
