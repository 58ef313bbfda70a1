"""The one way pages and the API reach a community and what is posted in it: the
object, NotFound (never saying it exists) or, for an owner's action, PermissionDenied."""

import pytest
from django.core.exceptions import PermissionDenied

from kollega.communities import services
from kollega.communities.models import Community
from kollega.permissions import NotFound
from kollega.posts.services import comment_on_post, post_on_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(anna, bjorn):
    """Anna's restricted community: Bjørn is a member; nobody else knows it exists."""
    community = services.create_community(anna, "Board room", "", [], Community.Kind.RESTRICTED)
    invitation = services.invite_to_community(anna, community, bjorn)
    services.accept_community_invitation(bjorn, invitation)
    return community


@pytest.fixture
def dag(make_person):
    return make_person("Dag Berg", "dag")


def test_visible_community_is_found_by_members_and_invitees_only(
    restricted, anna, bjorn, carla, dag
):
    assert services.visible_community(bjorn, restricted.slug) == restricted
    services.invite_to_community(anna, restricted, carla)
    assert services.visible_community(carla, restricted.slug) == restricted
    with pytest.raises(NotFound):
        services.visible_community(dag, restricted.slug)
    with pytest.raises(NotFound):
        services.visible_community(bjorn, "no-such-community")


def test_readable_community_is_not_found_for_one_only_invited(restricted, anna, bjorn, carla):
    services.invite_to_community(anna, restricted, carla)
    assert services.readable_community(bjorn, restricted.slug) == restricted
    with pytest.raises(NotFound):
        services.readable_community(carla, restricted.slug)
    with pytest.raises(NotFound):
        services.readable_community(bjorn, "no-such-community")


def test_owned_community_is_refused_to_members_and_not_found_for_outsiders(
    restricted, anna, bjorn, dag
):
    assert services.owned_community(anna, restricted.slug) == restricted
    with pytest.raises(PermissionDenied):
        services.owned_community(bjorn, restricted.slug)
    with pytest.raises(NotFound):
        services.owned_community(dag, restricted.slug)
    with pytest.raises(NotFound):
        services.owned_community(anna, "no-such-community")


def test_community_by_id_is_none_without_an_id_and_not_found_when_hidden(restricted, bjorn, dag):
    assert services.community_by_id(bjorn, restricted.pk) == restricted
    assert services.community_by_id(dag, None) is None
    with pytest.raises(NotFound):
        services.community_by_id(dag, restricted.pk)


def test_community_post_and_comment_must_be_in_that_community(restricted, anna, bjorn):
    post = services.post_in_community(bjorn, restricted, "Agenda for Monday.")
    comment = comment_on_post(anna, post, "Added the budget.")
    elsewhere = post_on_board(anna, "Lunch at noon.")
    other_comment = comment_on_post(bjorn, elsewhere, "Count me in.")
    assert services.community_post(anna, restricted, post.pk) == post
    assert services.community_comment(anna, restricted, comment.pk) == comment
    assert services.community_comment(anna, restricted, comment.pk, post_id=post.pk) == comment
    for missing in (
        lambda: services.community_post(anna, restricted, elsewhere.pk),
        lambda: services.community_post(anna, restricted, post.pk + 1000),
        lambda: services.community_comment(anna, restricted, other_comment.pk),
        lambda: services.community_comment(anna, restricted, comment.pk, post_id=elsewhere.pk),
        lambda: services.community_comment(anna, restricted, comment.pk + 1000),
    ):
        with pytest.raises(NotFound):
            missing()


def test_a_hidden_post_or_comment_is_not_found_even_with_the_community_in_hand(
    restricted, anna, bjorn, dag
):
    post = services.post_in_community(bjorn, restricted, "Agenda for Monday.")
    comment = comment_on_post(anna, post, "Added the budget.")
    with pytest.raises(NotFound):
        services.community_post(dag, restricted, post.pk)
    with pytest.raises(NotFound):
        services.community_comment(dag, restricted, comment.pk)


def test_the_membership_log_is_not_found_for_anyone_but_owners(restricted, anna, bjorn):
    events, _moderation = services.membership_log(anna, restricted)
    assert len(events) >= 2
    with pytest.raises(NotFound):
        services.membership_log(bjorn, restricted)


def test_the_pinned_post_shows_only_to_who_may_see_it(restricted, anna, bjorn, dag):
    assert services.pinned_post(bjorn, restricted) is None
    post = services.post_in_community(bjorn, restricted, "Agenda for Monday.")
    services.pin_post(anna, restricted, post)
    assert services.pinned_post(bjorn, restricted) == post
    assert services.pinned_post(dag, restricted) is None


def test_the_edit_page_is_refused_to_a_member_and_not_found_for_an_outsider(
    restricted, anna, bjorn, dag, client
):
    page = f"/communities/{restricted.slug}/edit/"
    for person, status in ((anna, 200), (bjorn, 403), (dag, 404)):
        client.force_login(person.user)
        assert client.get(page).status_code == status, person
