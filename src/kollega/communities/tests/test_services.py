"""Communities: every membership rule, posting, pinning, moderation and the directory."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kollega.communities import services
from kollega.communities.models import (
    Community,
    CommunityFollow,
    CommunityInvitation,
    Membership,
    MembershipEvent,
    MembershipRequest,
    ModerationLog,
)
from kollega.notifications.models import Notification
from kollega.notifications.services import notifications_for
from kollega.people.tests.factories import deactivate
from kollega.permissions.communities import can_see_community, is_member, is_owner
from kollega.posts.models import Audience, Post
from kollega.posts.services import comment_on_post, post_on_board
from kollega.posts.stream import home_stream

pytestmark = pytest.mark.django_db

OPEN, MODERATED, RESTRICTED = Community.Kind.values


def community(owner, kind=OPEN, name="Wine lovers", tags=("wine",)):
    return services.create_community(owner, name, "We taste.", list(tags), kind)


def events(c) -> list[tuple[str, str, str]]:
    return [
        (e.actor.user.username, e.what, e.person.user.username)
        for e in MembershipEvent.objects.filter(community=c).order_by("id")
    ]


def unchanged(c):
    """What must stay as it was after a refused action."""
    return (
        list(Membership.objects.filter(community=c).values_list("person_id", "role")),
        MembershipEvent.objects.filter(community=c).count(),
        MembershipRequest.objects.filter(community=c).count(),
        CommunityInvitation.objects.filter(community=c).count(),
        Post.objects.filter(community=c).count(),
    )


# --- creating -------------------------------------------------------------------------------


def test_the_creator_is_the_first_owner_and_follows(anna):
    c = community(anna, MODERATED)
    assert c.slug == "wine-lovers" and c.kind == MODERATED
    assert list(c.tags.values_list("name", flat=True)) == ["wine"]
    assert is_owner(anna, c)
    assert CommunityFollow.objects.filter(community=c, person=anna).exists()
    assert events(c) == [("anna", "created", "anna")]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_bad_name_is_refused_and_nothing_is_created(anna, name):
    with pytest.raises(ValidationError):
        community(anna, name=name)
    assert not Community.objects.exists()


def test_a_duplicate_name_is_refused_whatever_its_case(anna, bjorn):
    community(anna)
    with pytest.raises(ValidationError, match="already a community"):
        community(bjorn, name="WINE  lovers")
    assert Community.objects.count() == 1


def test_an_unknown_type_is_refused(anna):
    with pytest.raises(ValidationError):
        community(anna, kind="secret")
    assert not Community.objects.exists()


# --- joining --------------------------------------------------------------------------------


def test_anyone_joins_an_open_community_with_one_click(anna, bjorn):
    c = community(anna)
    services.join_community(bjorn, c)
    assert is_member(bjorn, c) and not is_owner(bjorn, c)
    assert CommunityFollow.objects.filter(community=c, person=bjorn).exists()
    with pytest.raises(ValidationError, match="already a member"):
        services.join_community(bjorn, c)
    assert events(c)[-1] == ("bjorn", "joined", "bjorn")


def test_a_moderated_community_is_joined_by_a_request_an_owner_approves(anna, bjorn):
    c = community(anna, MODERATED)
    with pytest.raises(ValidationError, match="ask to join"):
        services.join_community(bjorn, c)
    request = services.request_membership(bjorn, c, "I brew at home.")
    assert not is_member(bjorn, c)
    assert anna.notifications.get().kind == Notification.Kind.COMMUNITY_REQUEST
    with pytest.raises(ValidationError, match="already asked"):
        services.request_membership(bjorn, c)
    services.approve_request(anna, request)
    assert is_member(bjorn, c)
    assert bjorn.notifications.get().kind == Notification.Kind.COMMUNITY_APPROVED
    with pytest.raises(ValidationError, match="already been answered"):
        services.refuse_request(anna, request)
    assert events(c)[1:] == [("bjorn", "requested", "bjorn"), ("anna", "approved", "bjorn")]


def test_a_refused_request_leaves_the_colleague_outside_and_they_may_ask_again(anna, bjorn):
    c = community(anna, MODERATED)
    services.refuse_request(anna, services.request_membership(bjorn, c))
    assert not is_member(bjorn, c)
    services.request_membership(bjorn, c)
    assert MembershipRequest.objects.filter(community=c, status="pending").count() == 1


def test_nobody_approves_their_own_request_and_only_owners_decide(anna, bjorn, carla):
    c = community(anna, MODERATED)
    request = services.request_membership(bjorn, c)
    before = unchanged(c)
    with pytest.raises(PermissionDenied, match="your own request"):
        services.approve_request(bjorn, request)
    with pytest.raises(PermissionDenied, match="owners"):
        services.approve_request(carla, request)
    assert unchanged(c) == before
    assert MembershipRequest.objects.get().status == "pending"


def test_an_invitation_is_accepted_never_joined_past(anna, bjorn):
    c = community(anna, RESTRICTED)
    invitation = services.invite_to_community(anna, c, bjorn)
    before = unchanged(c)
    with pytest.raises(PermissionDenied, match="accepts the invitation"):
        services.join_community(bjorn, c)
    assert unchanged(c) == before and not is_member(bjorn, c)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    services.accept_community_invitation(bjorn, invitation)
    assert is_member(bjorn, c)


def test_joining_a_restricted_community_uninvited_is_refused(anna, bjorn):
    c = community(anna, RESTRICTED)
    before = unchanged(c)
    with pytest.raises(PermissionDenied, match="invitation only"):
        services.join_community(bjorn, c)
    with pytest.raises(PermissionDenied):
        services.request_membership(bjorn, c)
    assert unchanged(c) == before
    assert not can_see_community(bjorn, c)


def test_an_invitation_lets_a_colleague_into_a_restricted_community(anna, bjorn):
    c = community(anna, RESTRICTED)
    invitation = services.invite_to_community(anna, c, bjorn)
    assert can_see_community(bjorn, c) and not is_member(bjorn, c)
    note = bjorn.notifications.get()
    assert note.kind == Notification.Kind.COMMUNITY_INVITATION and note.community == c
    assert notifications_for(bjorn).filter(pk=note.pk).exists()
    with pytest.raises(ValidationError, match="already invited"):
        services.invite_to_community(anna, c, bjorn)
    services.accept_community_invitation(bjorn, invitation)
    assert is_member(bjorn, c)
    with pytest.raises(ValidationError, match="already a member"):
        services.invite_to_community(anna, c, bjorn)
    assert events(c)[1:] == [("anna", "invited", "bjorn"), ("bjorn", "accepted", "bjorn")]


def test_a_declined_invitation_hides_the_restricted_community_again(anna, bjorn):
    c = community(anna, RESTRICTED)
    invitation = services.invite_to_community(anna, c, bjorn)
    services.decline_community_invitation(bjorn, invitation)
    assert not can_see_community(bjorn, c)
    assert not notifications_for(bjorn).exists()


def test_only_owners_invite_and_only_the_invitee_answers(anna, bjorn, carla):
    c = community(anna, RESTRICTED)
    with pytest.raises(PermissionDenied):
        services.invite_to_community(bjorn, c, carla)
    invitation = services.invite_to_community(anna, c, bjorn)
    with pytest.raises(PermissionDenied):
        services.accept_community_invitation(carla, invitation)
    assert not is_member(carla, c) and not is_member(bjorn, c)


def test_inviting_someone_who_asked_approves_their_request(anna, bjorn):
    c = community(anna, MODERATED)
    services.request_membership(bjorn, c)
    services.invite_to_community(anna, c, bjorn)
    assert is_member(bjorn, c)
    assert MembershipRequest.objects.get().status == "approved"


# --- leaving, removing, owners --------------------------------------------------------------


def test_anyone_but_the_last_owner_can_leave(anna, bjorn):
    c = community(anna)
    services.join_community(bjorn, c)
    services.leave_community(bjorn, c)
    assert not is_member(bjorn, c)
    assert not CommunityFollow.objects.filter(community=c, person=bjorn).exists()
    before = unchanged(c)
    with pytest.raises(ValidationError, match="last owner"):
        services.leave_community(anna, c)
    assert unchanged(c) == before


def test_the_last_owner_cannot_be_removed_or_demoted(anna, bjorn):
    c = community(anna)
    services.join_community(bjorn, c)
    services.make_owner(anna, c, bjorn)
    services.remove_member(bjorn, c, anna)  # two owners: one may go
    assert not is_member(anna, c)
    before = unchanged(c)
    with pytest.raises(ValidationError, match="last owner"):
        services.remove_member(bjorn, c, bjorn)
    with pytest.raises(ValidationError, match="last owner"):
        services.make_member(bjorn, c, bjorn)
    assert unchanged(c) == before and is_owner(bjorn, c)


def test_owners_remove_members_and_make_owners_and_it_is_logged(anna, bjorn, carla):
    c = community(anna)
    services.join_community(bjorn, c)
    services.join_community(carla, c)
    with pytest.raises(PermissionDenied):
        services.remove_member(bjorn, c, carla)
    services.make_owner(anna, c, bjorn)
    services.remove_member(bjorn, c, carla)
    services.make_member(bjorn, c, anna)
    assert not is_member(carla, c) and is_owner(bjorn, c) and not is_owner(anna, c)
    assert events(c)[-3:] == [
        ("anna", "made_owner", "bjorn"),
        ("bjorn", "removed", "carla"),
        ("bjorn", "made_member", "anna"),
    ]


def test_removing_someone_who_is_not_a_member_is_a_clear_error(anna, bjorn):
    c = community(anna)
    with pytest.raises(ValidationError, match="not a member"):
        services.remove_member(anna, c, bjorn)


# --- posting --------------------------------------------------------------------------------


def test_members_post_in_a_community_and_others_cannot(anna, bjorn):
    c = community(anna)
    post = services.post_in_community(anna, c, "Tasting on Friday #wine")
    assert post.audience == Audience.COMMUNITY and post.community == c
    assert post.board_owner == anna
    before = unchanged(c)
    with pytest.raises(PermissionDenied, match="Only members"):
        services.post_in_community(bjorn, c, "Let me in")
    with pytest.raises(ValidationError, match="Choose the community"):
        post_on_board(anna, "Where?", audience=Audience.COMMUNITY)
    assert unchanged(c) == before


def test_a_restricted_communitys_posts_are_for_current_members_only(anna, bjorn, carla):
    c = community(anna, RESTRICTED)
    services.accept_community_invitation(bjorn, services.invite_to_community(anna, c, bjorn))
    post = services.post_in_community(bjorn, c, "Secret plans @anna")
    assert post.pk in {p.pk for p in home_stream(anna).posts}
    assert post.pk not in {p.pk for p in home_stream(carla).posts}
    services.remove_member(anna, c, bjorn)
    # Even the author loses sight at once.
    assert post.pk not in {p.pk for p in home_stream(bjorn).posts}
    assert not Post.objects.visible_to(bjorn).filter(pk=post.pk).exists()


def test_my_communities_follows_communities_and_members_follow_automatically(anna, bjorn, carla):
    c = community(anna)
    other = community(carla, name="Beer")
    services.join_community(bjorn, c)
    mine = services.post_in_community(anna, c, "In wine")
    services.post_in_community(carla, other, "In beer")
    post_on_board(carla, "Not in a community")
    assert [p.pk for p in home_stream(bjorn, "communities").posts] == [mine.pk]
    services.unfollow_community(bjorn, c)
    assert home_stream(bjorn, "communities").posts == []
    services.follow_community(bjorn, other)
    assert [p.body for p in home_stream(bjorn, "communities").posts] == ["In beer"]


def test_a_restricted_community_cannot_be_followed_from_outside(anna, bjorn):
    c = community(anna, RESTRICTED)
    with pytest.raises(PermissionDenied):
        services.follow_community(bjorn, c)
    assert not CommunityFollow.objects.filter(person=bjorn).exists()


def test_the_community_stream_pages_with_the_home_streams_cursor(anna, settings):
    c = community(anna)
    for n in range(5):
        services.post_in_community(anna, c, f"Post {n}")
    first = services.community_stream(anna, c, limit=3)
    rest = services.community_stream(anna, c, first.next_cursor, limit=3)
    assert [p.body for p in first.posts + rest.posts] == [f"Post {n}" for n in range(4, -1, -1)]
    assert rest.next_cursor is None


# --- pins and moderation --------------------------------------------------------------------


def test_owners_pin_a_post_of_their_community(anna, bjorn):
    c = community(anna)
    services.join_community(bjorn, c)
    post = services.post_in_community(bjorn, c, "Read me first")
    with pytest.raises(PermissionDenied):
        services.pin_post(bjorn, c, post)
    elsewhere = post_on_board(anna, "Not here")
    with pytest.raises(ValidationError):
        services.pin_post(anna, c, elsewhere)
    services.pin_post(anna, c, post)
    assert Community.objects.get().pinned_post == post
    services.pin_post(anna, c, None)
    assert Community.objects.get().pinned_post is None


def test_an_owner_removes_a_post_with_a_reason_and_the_author_is_told(anna, bjorn):
    c = community(anna)
    services.join_community(bjorn, c)
    post = services.post_in_community(bjorn, c, "Buy cheap watches")
    with pytest.raises(ValidationError, match="why"):
        services.remove_post(anna, post, "  ")
    with pytest.raises(PermissionDenied):
        services.remove_post(bjorn, post, "I changed my mind")
    assert Post.objects.filter(pk=post.pk).exists()
    log = services.remove_post(anna, post, "Advertising")
    assert not Post.objects.filter(pk=post.pk).exists()
    assert (log.moderator, log.author, log.what, log.reason) == (anna, bjorn, "post", "Advertising")
    assert log.excerpt == "Buy cheap watches"
    note = notifications_for(bjorn).get()
    assert note.kind == Notification.Kind.COMMUNITY_POST_REMOVED and note.moderation == log


def test_an_owner_removes_a_comment_with_a_reason(anna, bjorn):
    c = community(anna)
    services.join_community(bjorn, c)
    post = services.post_in_community(anna, c, "Thoughts?")
    comment = comment_on_post(bjorn, post, "Rude words")
    services.remove_comment(anna, comment, "Be kind")
    post.refresh_from_db()
    assert post.comment_count == 0 and not post.comments.exists()
    assert ModerationLog.objects.get().what == "comment"
    assert notifications_for(bjorn).get().kind == Notification.Kind.COMMUNITY_COMMENT_REMOVED


def test_moderation_is_only_for_community_posts(anna):
    post = post_on_board(anna, "On my board")
    with pytest.raises(ValidationError):
        services.remove_post(anna, post, "Why not")


# --- directory and profiles -----------------------------------------------------------------


def test_the_directory_orders_by_activity_and_marks_rising_and_sinking(anna, bjorn):
    now = timezone.now()
    rising = community(anna, name="Rising")
    sinking = community(anna, name="Sinking")
    quiet = community(anna, name="Quiet", tags=())
    secret = community(anna, RESTRICTED, name="Secret")
    for n in range(3):
        services.post_in_community(anna, rising, f"New {n}")
    for n in range(8):
        post_on_board(
            anna,
            f"Old {n}",
            audience=Audience.COMMUNITY,
            community=sinking,
            created_at=now - timedelta(days=10 + n),
        )
    Community.objects.filter(pk=quiet.pk).update(created_at=now - timedelta(days=90))
    listed = services.mark_trends(services.community_directory(bjorn))
    assert [c.name for c in listed] == ["Rising", "Sinking", "Quiet"]
    assert [c.trend for c in listed] == ["rising", "sinking", "steady"]
    assert secret.pk not in {c.pk for c in listed}
    assert [c.name for c in services.community_directory(bjorn, "quie")] == ["Quiet"]
    assert {c.name for c in services.community_directory(bjorn, "#wine")} == {"Rising", "Sinking"}
    assert {c.name for c in services.community_directory(anna, "secret")} == {"Secret"}


def test_a_profile_lists_only_communities_the_viewer_may_see(anna, bjorn, carla):
    public = community(anna)
    secret = community(anna, RESTRICTED, name="Secret")
    assert set(services.communities_of(anna, bjorn)) == {public}
    assert set(services.communities_of(anna, anna)) == {public, secret}
    services.accept_community_invitation(carla, services.invite_to_community(anna, secret, carla))
    assert set(services.communities_of(anna, carla)) == {public, secret}


def test_a_deactivated_colleague_sees_no_community(anna, bjorn):
    c = community(anna)
    deactivate(bjorn)
    assert not can_see_community(bjorn, c)
    assert not services.community_directory(bjorn).exists()
    with pytest.raises(ValidationError):
        services.join_community(bjorn, c)
