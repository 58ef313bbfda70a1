"""Notifications: shown only while what they point at is visible; read and unread."""

import pytest

from kollega.network.services import connect, remove_contact, send_invitation
from kollega.notifications.models import Notification
from kollega.notifications.services import (
    mark_all_read,
    mark_read,
    notifications_for,
    notify,
    unread_count,
)
from kollega.people.models import Person
from kollega.people.services import tag_person
from kollega.people.tests.factories import deactivate
from kollega.posts.models import Audience
from kollega.posts.services import comment_on_post, delete_post, post_on_board

pytestmark = pytest.mark.django_db


def listed(person: Person) -> list[tuple[str, str]]:
    return [(n.kind, n.actor.handle) for n in notifications_for(person)]


def test_notifications_are_listed_newest_first(anna, bjorn, carla):
    send_invitation(bjorn, anna)
    tag_person(carla, anna, ["wine"])
    post_on_board(bjorn, "Hi @anna")
    assert listed(anna) == [
        (Notification.Kind.MENTION, "bjorn"),
        (Notification.Kind.TAGGED, "carla"),
        (Notification.Kind.INVITATION, "bjorn"),
    ]
    assert listed(bjorn) == []


def test_nobody_is_notified_of_their_own_acts_or_while_deactivated(anna, bjorn):
    assert notify(anna, Notification.Kind.MENTION, anna) is None
    deactivate(bjorn)
    assert notify(bjorn, Notification.Kind.MENTION, anna) is None
    assert not Notification.objects.exists()


def test_a_notification_disappears_when_its_post_is_no_longer_visible(anna, bjorn):
    connect(anna, bjorn)
    post_on_board(anna, "For my network, @bjorn", audience=Audience.NETWORK)
    assert listed(bjorn) == [(Notification.Kind.MENTION, "anna")]
    assert unread_count(bjorn) == 1
    remove_contact(anna, bjorn)
    assert listed(bjorn) == []
    assert unread_count(bjorn) == 0
    connect(anna, bjorn)
    assert listed(bjorn) == [(Notification.Kind.MENTION, "anna")]


def test_the_board_owner_keeps_a_comment_notification_after_the_contact_ends(anna, bjorn):
    connect(anna, bjorn)
    post = post_on_board(bjorn, "On Bjørn's board", audience=Audience.BOARD, board_owner=bjorn)
    comment_on_post(anna, post, "Reply")
    assert listed(bjorn) == [(Notification.Kind.COMMENT, "anna")]
    remove_contact(anna, bjorn)
    # Bjørn owns the board, so he still sees the post and the notification.
    assert listed(bjorn) == [(Notification.Kind.COMMENT, "anna")]


def test_a_notification_of_a_deleted_post_is_gone(anna, bjorn):
    post = post_on_board(anna, "On your board", board_owner=bjorn)
    assert unread_count(bjorn) == 1
    delete_post(bjorn, post)
    assert listed(bjorn) == []


def test_notifications_without_a_post_stay(anna, bjorn):
    send_invitation(anna, bjorn)
    tag_person(anna, bjorn, ["wine"])
    assert unread_count(bjorn) == 2


def test_unread_count_and_mark_all_read(anna, bjorn, carla):
    post_on_board(bjorn, "Hi @anna")
    post_on_board(carla, "Hi @anna")
    post_on_board(carla, "Hi @bjorn")
    assert unread_count(anna) == 2
    assert mark_all_read(anna) == 2
    assert unread_count(anna) == 0
    assert mark_all_read(anna) == 0
    assert unread_count(bjorn) == 1
    assert len(listed(anna)) == 2  # read ones are still listed


def test_mark_read_marks_one_of_ones_own_notifications(anna, bjorn):
    post_on_board(bjorn, "Hi @anna")
    post_on_board(bjorn, "Again @anna")
    newest, older = notifications_for(anna)
    assert mark_read(anna, newest.pk) is True
    assert mark_read(anna, newest.pk) is False
    assert unread_count(anna) == 1
    older.refresh_from_db()
    assert older.read_at is None


def test_mark_read_leaves_someone_elses_notification_alone(anna, bjorn, carla):
    post_on_board(bjorn, "Hi @anna")
    (note,) = notifications_for(anna)
    assert mark_read(carla, note.pk) is False
    assert mark_all_read(carla) == 0
    note.refresh_from_db()
    assert note.read_at is None
    assert unread_count(anna) == 1


def test_a_withdrawn_invitation_is_no_longer_in_the_recipients_notifications(anna, bjorn):
    from kollega.network.services import withdraw_invitation

    invitation = send_invitation(anna, bjorn, "hello")
    assert notifications_for(bjorn).count() == 1
    withdraw_invitation(anna, invitation)
    assert notifications_for(bjorn).count() == 0


def test_an_old_comment_never_sinks_a_live_thread(anna, bjorn):
    from datetime import timedelta

    post = post_on_board(anna, "Live thread")
    before = post.last_activity_at
    comment_on_post(bjorn, post, "Imported reply", created_at=before - timedelta(days=30))
    post.refresh_from_db()
    assert post.last_activity_at == before
    assert post.comment_count == 1
