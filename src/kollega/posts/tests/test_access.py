"""Reaching a comment or a board: the object if the person may see it, else NotFound."""

import pytest

from kollega.network.services import connect
from kollega.people.services import update_profile
from kollega.permissions import NotFound
from kollega.posts.models import Audience
from kollega.posts.services import comment_on_post, post_on_board, visible_board, visible_comment

pytestmark = pytest.mark.django_db


def test_a_comment_is_reached_only_by_those_who_may_see_its_post(anna, bjorn, carla):
    connect(anna, bjorn)
    post = post_on_board(anna, "For my contacts", audience=Audience.NETWORK)
    comment = comment_on_post(bjorn, post, "Seen")
    found = visible_comment(bjorn, comment.pk)
    assert found == comment and found.post == post
    assert visible_comment(anna, comment.pk, post_id=post.pk) == comment
    with pytest.raises(NotFound):
        visible_comment(carla, comment.pk)
    with pytest.raises(NotFound):
        visible_comment(anna, comment.pk + 1000)


def test_a_comment_under_another_post_is_not_found(anna):
    first = post_on_board(anna, "First")
    second = post_on_board(anna, "Second")
    comment = comment_on_post(anna, first, "Under the first")
    with pytest.raises(NotFound):
        visible_comment(anna, comment.pk, post_id=second.pk)


def test_a_board_kept_to_contacts_is_not_found_by_others(anna, bjorn, carla):
    update_profile(anna, board_visibility="contacts")
    connect(anna, bjorn)
    assert visible_board(bjorn, "anna") == anna
    assert visible_board(anna, "ANNA") == anna
    with pytest.raises(NotFound):
        visible_board(carla, "anna")
    with pytest.raises(NotFound):
        visible_board(carla, "nobody")
