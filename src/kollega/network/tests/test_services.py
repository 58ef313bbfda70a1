"""Contacts by invitation, shared contacts, paths, and following people and tags."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.network.models import Contact, Invitation, PersonFollow, TagFollow
from kollega.network.services import (
    accept_invitation,
    are_contacts,
    connect,
    contacts_of,
    follow_person,
    follow_tag,
    ignore_invitation,
    is_following,
    path_between,
    pending_invitation_between,
    pending_invitations_for,
    remove_contact,
    send_invitation,
    shared_contacts,
    unfollow_person,
    unfollow_tag,
    withdraw_invitation,
)
from kollega.notifications.models import Notification
from kollega.people.models import Person
from kollega.people.tests.factories import deactivate

pytestmark = pytest.mark.django_db


def notes(recipient: Person, kind: str):
    return Notification.objects.filter(recipient=recipient, kind=kind)


def state() -> tuple:
    """Everything an invitation may change, to prove a refusal changed nothing."""
    return (
        sorted(Invitation.objects.values_list("sender_id", "recipient_id", "status", "message")),
        sorted(Contact.objects.values_list("person_id", "contact_id")),
        Notification.objects.count(),
    )


# --- Invitations ------------------------------------------------------------


def test_an_invitation_with_a_message_notifies_the_recipient(anna, bjorn):
    invitation = send_invitation(anna, bjorn, "  We met at the wine tasting  ")
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.message == "We met at the wine tasting"
    (note,) = notes(bjorn, Notification.Kind.INVITATION)
    assert (note.actor, note.invitation) == (anna, invitation)
    assert list(pending_invitations_for(bjorn)) == [invitation]
    assert pending_invitation_between(anna, bjorn) == invitation
    assert not are_contacts(anna, bjorn)


def test_accepting_makes_contacts_both_ways_and_notifies_the_sender(anna, bjorn):
    invitation = send_invitation(anna, bjorn)
    accept_invitation(bjorn, invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.responded_at is not None
    assert are_contacts(anna, bjorn) and are_contacts(bjorn, anna)
    assert list(contacts_of(anna)) == [bjorn]
    assert list(contacts_of(bjorn)) == [anna]
    (note,) = notes(anna, Notification.Kind.INVITATION_ACCEPTED)
    assert note.actor == bjorn
    assert list(pending_invitations_for(bjorn)) == []


def test_ignoring_does_not_make_contacts_and_does_not_tell_the_sender(anna, bjorn):
    invitation = send_invitation(anna, bjorn)
    ignore_invitation(bjorn, invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.IGNORED
    assert not are_contacts(anna, bjorn) and not are_contacts(bjorn, anna)
    assert not Notification.objects.filter(recipient=anna).exists()
    assert list(pending_invitations_for(bjorn)) == []


def test_after_an_ignored_invitation_one_may_invite_again(anna, bjorn):
    ignore_invitation(bjorn, send_invitation(anna, bjorn))
    again = send_invitation(anna, bjorn)
    assert again.status == Invitation.Status.PENDING


@pytest.mark.parametrize(
    "case", ["oneself", "second_pending", "existing_contact", "long_message", "left"]
)
def test_a_refused_invitation_changes_nothing(anna, bjorn, carla, case):
    connect(anna, carla)
    send_invitation(anna, bjorn, "hello")
    before = state()
    sender, recipient, message = {
        "oneself": (anna, anna, ""),
        "second_pending": (anna, bjorn, "hello again"),
        "existing_contact": (carla, anna, ""),
        "long_message": (carla, bjorn, "x" * 600),
        "left": (anna, bjorn, ""),
    }[case]
    if case == "left":
        recipient = Person.objects.get(pk=bjorn.pk)
        deactivate(recipient)
        before = state()
    with pytest.raises(ValidationError):
        send_invitation(sender, recipient, message)
    assert state() == before


def test_a_message_of_exactly_500_characters_is_fine(anna, bjorn):
    assert len(send_invitation(anna, bjorn, "x" * 500).message) == 500


def test_inviting_someone_who_already_invited_you_accepts_their_invitation(anna, bjorn):
    theirs = send_invitation(bjorn, anna, "Hi Anna")
    result = send_invitation(anna, bjorn, "Hi Bjørn")
    assert result.pk == theirs.pk
    assert Invitation.objects.count() == 1
    theirs.refresh_from_db()
    assert theirs.status == Invitation.Status.ACCEPTED
    assert are_contacts(anna, bjorn) and are_contacts(bjorn, anna)
    assert notes(bjorn, Notification.Kind.INVITATION_ACCEPTED).get().actor == anna
    assert not notes(bjorn, Notification.Kind.INVITATION).exists()


@pytest.mark.parametrize("answer", [accept_invitation, ignore_invitation])
def test_only_the_recipient_may_answer_an_invitation(anna, bjorn, carla, answer):
    invitation = send_invitation(anna, bjorn)
    for other in (anna, carla):
        with pytest.raises(PermissionDenied):
            answer(other, invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("first", [accept_invitation, ignore_invitation])
@pytest.mark.parametrize("second", [accept_invitation, ignore_invitation])
def test_an_answered_invitation_cannot_be_answered_again(anna, bjorn, first, second):
    invitation = send_invitation(anna, bjorn)
    first(bjorn, invitation)
    with pytest.raises(ValidationError):
        second(bjorn, invitation)


@pytest.mark.parametrize("second", [accept_invitation, ignore_invitation, withdraw_invitation])
def test_an_answer_from_a_page_loaded_before_the_first_answer_is_refused(anna, bjorn, second):
    """Two tabs, or a double click: the second answer works on a stale copy."""
    invitation = send_invitation(anna, bjorn)
    stale = Invitation.objects.get(pk=invitation.pk)
    accept_invitation(bjorn, invitation)
    actor = anna if second is withdraw_invitation else bjorn
    with pytest.raises(ValidationError):
        second(actor, stale)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED
    assert are_contacts(anna, bjorn)
    assert notes(anna, Notification.Kind.INVITATION_ACCEPTED).count() == 1


def test_the_sender_can_withdraw_a_pending_invitation_and_nobody_else_can(anna, bjorn):
    invitation = send_invitation(anna, bjorn)
    with pytest.raises(PermissionDenied):
        withdraw_invitation(bjorn, invitation)
    withdraw_invitation(anna, invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert list(pending_invitations_for(bjorn)) == []
    with pytest.raises(ValidationError):
        accept_invitation(bjorn, invitation)


# --- Contacts ---------------------------------------------------------------


def test_removing_a_contact_removes_both_directions(anna, bjorn):
    connect(anna, bjorn)
    remove_contact(bjorn, anna)
    assert Contact.objects.count() == 0
    with pytest.raises(ValidationError):
        remove_contact(anna, bjorn)


def test_shared_contacts_are_the_contacts_both_have(anna, bjorn, carla, make_person):
    dag, eva = make_person("Dag Berg", "dag"), make_person("Eva Ek", "eva")
    connect(anna, carla)
    connect(bjorn, carla)
    connect(anna, dag)
    connect(bjorn, dag)
    connect(anna, eva)
    assert list(shared_contacts(anna, bjorn)) == [carla, dag]
    assert list(shared_contacts(bjorn, anna)) == [carla, dag]
    assert list(shared_contacts(anna, carla)) == []


def test_a_colleague_who_left_is_not_a_shared_contact(anna, bjorn, carla):
    connect(anna, carla)
    connect(bjorn, carla)
    deactivate(carla)
    assert list(shared_contacts(anna, bjorn)) == []


def test_path_between_direct_contacts(anna, bjorn):
    connect(anna, bjorn)
    assert path_between(anna, bjorn) == [anna, bjorn]


def test_path_between_via_a_shared_contact(anna, bjorn, carla):
    connect(anna, carla)
    connect(carla, bjorn)
    assert path_between(anna, bjorn) == [anna, carla, bjorn]


def test_path_between_via_two_introductions(anna, bjorn, carla, make_person):
    dag = make_person("Dag Berg", "dag")
    connect(anna, carla)
    connect(carla, dag)
    connect(dag, bjorn)
    assert path_between(anna, bjorn) == [anna, carla, dag, bjorn]
    assert path_between(bjorn, anna) == [bjorn, dag, carla, anna]


def test_path_between_prefers_the_shortest_path(anna, bjorn, carla, make_person):
    dag, eva = make_person("Dag Berg", "dag"), make_person("Eva Ek", "eva")
    connect(anna, carla)
    connect(carla, dag)
    connect(dag, bjorn)
    connect(anna, eva)
    connect(eva, bjorn)
    assert path_between(anna, bjorn) == [anna, eva, bjorn]


def test_a_colleague_who_left_introduces_nobody(anna, bjorn, carla):
    connect(anna, carla)
    connect(carla, bjorn)
    deactivate(carla)
    assert path_between(anna, bjorn) is None


@pytest.mark.parametrize("leaves", ["carla", "dag"])
def test_a_chain_of_two_introductions_breaks_when_either_has_left(
    anna, bjorn, carla, make_person, leaves
):
    dag = make_person("Dag Berg", "dag")
    connect(anna, carla)
    connect(carla, dag)
    connect(dag, bjorn)
    assert path_between(anna, bjorn) == [anna, carla, dag, bjorn]
    deactivate({"carla": carla, "dag": dag}[leaves])
    assert path_between(anna, bjorn) is None


def test_there_is_no_path_beyond_two_introductions(anna, bjorn, carla, make_person):
    dag, eva = make_person("Dag Berg", "dag"), make_person("Eva Ek", "eva")
    connect(anna, carla)
    connect(carla, dag)
    connect(dag, eva)
    connect(eva, bjorn)
    assert path_between(anna, bjorn) is None
    assert path_between(anna, make_person("Frej Ny", "frej")) is None


# --- Following --------------------------------------------------------------


def test_following_and_unfollowing_a_colleague(anna, bjorn):
    follow_person(anna, bjorn)
    follow_person(anna, bjorn)
    assert is_following(anna, bjorn)
    assert not is_following(bjorn, anna)
    assert PersonFollow.objects.count() == 1
    unfollow_person(anna, bjorn)
    assert not is_following(anna, bjorn)


def test_nobody_can_follow_themself(anna):
    with pytest.raises(ValidationError):
        follow_person(anna, anna)
    assert PersonFollow.objects.count() == 0


def test_following_and_unfollowing_a_tag(anna):
    tag = follow_tag(anna, "#Wine")
    assert tag.name == "wine"
    assert follow_tag(anna, "wine") == tag
    assert list(TagFollow.objects.values_list("follower_id", "tag__name")) == [(anna.pk, "wine")]
    unfollow_tag(anna, tag)
    assert TagFollow.objects.count() == 0


def test_following_a_bad_tag_name_is_refused(anna):
    with pytest.raises(ValidationError):
        follow_tag(anna, "<script>")
    assert TagFollow.objects.count() == 0
