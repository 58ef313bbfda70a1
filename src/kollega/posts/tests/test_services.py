"""Boards, posts, comments and recommendations, as the services enforce them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kollega.limits import COMMENT_BODY_MAX_CHARS, POST_BODY_MAX_CHARS
from kollega.network.services import connect
from kollega.notifications.models import Notification
from kollega.people.models import Person
from kollega.people.services import update_profile
from kollega.people.tests.factories import deactivate
from kollega.permissions import NotFound
from kollega.posts.models import Audience, Comment, Mention, Post, Recommendation
from kollega.posts.services import (
    board_posts,
    comment_on_post,
    delete_comment,
    delete_post,
    post_on_board,
    recommend_post,
    recommended_ids,
    visible_post,
    withdraw_recommendation,
)
from kollega.tags.models import Tag

pytestmark = pytest.mark.django_db


def kinds(person: Person) -> list[tuple[str, str]]:
    """(kind, actor's handle) of every notification `person` got, oldest first."""
    return [
        (n.kind, n.actor.handle)
        for n in Notification.objects.filter(recipient=person).order_by("id")
    ]


def nothing_saved() -> bool:
    return not (
        Post.objects.exists()
        or Comment.objects.exists()
        or Mention.objects.exists()
        or Notification.objects.exists()
        or Tag.objects.exists()
    )


# --- Posting ----------------------------------------------------------------


def test_a_post_on_ones_own_board_notifies_nobody(anna, bjorn):
    post = post_on_board(anna, "Hello **team**")
    assert (post.author, post.board_owner, post.audience) == (anna, anna, Audience.ORGANISATION)
    assert post.is_on_own_board
    assert "<strong>team</strong>" in post.body_html
    assert post.created_at == post.last_activity_at
    assert not Notification.objects.exists()


def test_a_post_on_a_colleagues_board_notifies_the_board_owner(anna, bjorn):
    post = post_on_board(anna, "Welcome aboard!", board_owner=bjorn)
    assert (post.author, post.board_owner) == (anna, bjorn)
    assert not post.is_on_own_board
    assert kinds(bjorn) == [(Notification.Kind.BOARD_POST, "anna")]
    assert Notification.objects.get(recipient=bjorn).post == post
    assert list(board_posts(anna, bjorn)) == [post]
    assert list(board_posts(anna, anna)) == []


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n", None, "x" * (POST_BODY_MAX_CHARS + 1)])
def test_an_empty_or_oversized_post_is_refused_and_nothing_is_saved(anna, bjorn, body):
    with pytest.raises(ValidationError):
        post_on_board(anna, body, board_owner=bjorn)
    assert nothing_saved()


def test_a_post_of_exactly_the_maximum_length_is_fine(anna):
    body = "x" * POST_BODY_MAX_CHARS
    assert post_on_board(anna, f"  {body}  ").body == body


def test_an_unknown_audience_is_refused(anna):
    with pytest.raises(ValidationError):
        post_on_board(anna, "Hello", audience="everyone-on-earth")
    assert nothing_saved()


@pytest.mark.parametrize("body", ["Hello @ghost", "Hello @bjorn and @ghost #wine"])
def test_a_mention_of_nobody_is_refused_and_nothing_is_saved(anna, bjorn, body):
    with pytest.raises(ValidationError, match="@ghost"):
        post_on_board(anna, body)
    assert nothing_saved()


def test_a_mention_of_a_colleague_who_left_is_refused(anna, bjorn):
    deactivate(bjorn)
    with pytest.raises(ValidationError, match="@bjorn"):
        post_on_board(anna, "Thanks @bjorn")
    assert nothing_saved()


def test_a_mention_links_to_the_profile_and_notifies_the_person(anna, bjorn):
    post = post_on_board(anna, "Thanks @Bjorn!")
    assert 'href="/people/bjorn/"' in post.body_html
    assert kinds(bjorn) == [(Notification.Kind.MENTION, "anna")]
    assert list(Mention.objects.values_list("person_id", "post_id")) == [(bjorn.pk, post.pk)]


def test_mentioning_oneself_notifies_nobody(anna):
    post_on_board(anna, "Note to @anna")
    assert not Notification.objects.exists()


def test_code_with_at_signs_and_hashes_is_not_a_mention_or_a_tag(anna):
    post = post_on_board(anna, "Use `@decorator` here:\n\n```\n#include <x.h>\n```")
    assert list(post.tags.all()) == []
    assert not Mention.objects.exists()


def test_a_network_post_mentioning_a_stranger_does_not_notify_the_stranger(anna, bjorn, carla):
    connect(anna, bjorn)
    post_on_board(anna, "Ask @carla or @bjorn", audience=Audience.NETWORK)
    assert kinds(bjorn) == [(Notification.Kind.MENTION, "anna")]
    assert kinds(carla) == []


def test_a_board_post_mentioning_someone_outside_the_board_owners_contacts(anna, bjorn, carla):
    """Anna writes for Bjørn's board audience; Carla is not Bjørn's contact, so not told."""
    connect(anna, carla)
    post_on_board(anna, "Ping @carla", board_owner=bjorn, audience=Audience.BOARD)
    assert kinds(carla) == []
    assert kinds(bjorn) == [(Notification.Kind.BOARD_POST, "anna")]


def test_the_board_owner_mentioned_on_their_board_is_notified_once(anna, bjorn):
    post_on_board(anna, "For you @bjorn", board_owner=bjorn)
    assert kinds(bjorn) == [(Notification.Kind.BOARD_POST, "anna")]


def test_hashtags_become_post_tags_and_links(anna):
    post = post_on_board(anna, "Tasting #Wine and #cheese, more #wine")
    assert sorted(post.tags.values_list("name", flat=True)) == ["cheese", "wine"]
    assert 'href="/tags/wine/"' in post.body_html
    assert 'href="/tags/cheese/"' in post.body_html


def test_a_hashtag_that_is_too_long_is_refused(anna):
    with pytest.raises(ValidationError):
        post_on_board(anna, "#" + "x" * 60)
    assert nothing_saved()


# --- Boards kept to contacts ------------------------------------------------


@pytest.fixture
def private_board(bjorn):
    update_profile(bjorn, board_visibility=Person.BoardVisibility.CONTACTS)
    return bjorn


@pytest.mark.parametrize("audience", Audience.values)
def test_a_non_contact_may_not_post_on_a_board_kept_to_contacts(anna, private_board, audience):
    with pytest.raises(PermissionDenied):
        post_on_board(anna, "Hello", board_owner=private_board, audience=audience)
    assert nothing_saved()


def test_a_contact_may_not_post_for_the_whole_organisation_on_such_a_board(anna, private_board):
    connect(anna, private_board)
    with pytest.raises(ValidationError, match="keeps their board to contacts"):
        post_on_board(anna, "Hello", board_owner=private_board, audience=Audience.ORGANISATION)
    assert not Post.objects.exists()


@pytest.mark.parametrize("audience", [Audience.BOARD, Audience.NETWORK])
def test_a_contact_may_post_with_a_narrower_audience_on_such_a_board(anna, private_board, audience):
    connect(anna, private_board)
    post = post_on_board(anna, "Hello", board_owner=private_board, audience=audience)
    assert post.audience == audience


def test_the_owner_chooses_any_audience_on_their_own_board(private_board):
    post = post_on_board(private_board, "Hello all", audience=Audience.ORGANISATION)
    assert post.audience == Audience.ORGANISATION


def test_nobody_posts_on_the_board_of_a_colleague_who_left(anna, bjorn):
    deactivate(bjorn)
    with pytest.raises(PermissionDenied):
        post_on_board(anna, "Bye", board_owner=Person.objects.get(pk=bjorn.pk))
    assert nothing_saved()


# --- Comments ---------------------------------------------------------------


def test_a_comment_lifts_the_thread_counts_and_notifies_the_post_author(anna, bjorn):
    long_ago = timezone.now() - timedelta(days=3)
    post = post_on_board(anna, "Old news", created_at=long_ago)
    comment = comment_on_post(bjorn, post, "Still true")
    post.refresh_from_db()
    assert post.comment_count == 1
    assert post.last_activity_at == comment.created_at > long_ago
    assert post.created_at == long_ago
    assert kinds(anna) == [(Notification.Kind.COMMENT, "bjorn")]
    assert Notification.objects.get(recipient=anna).comment == comment


def test_commenting_on_ones_own_post_notifies_nobody(anna):
    post = post_on_board(anna, "Hello")
    comment_on_post(anna, post, "Addendum")
    assert not Notification.objects.exists()


def test_a_mention_in_a_comment_notifies_the_person_and_the_author_only_once(anna, bjorn, carla):
    post = post_on_board(anna, "Question")
    comment_on_post(bjorn, post, "@carla knows, right @anna?")
    assert kinds(anna) == [(Notification.Kind.COMMENT, "bjorn")]
    assert kinds(carla) == [(Notification.Kind.MENTION, "bjorn")]
    assert Mention.objects.filter(comment__isnull=False).count() == 2


def test_a_mention_in_a_comment_does_not_notify_someone_who_cannot_see_the_post(anna, bjorn, carla):
    connect(anna, bjorn)
    post = post_on_board(anna, "Network only", audience=Audience.NETWORK)
    comment_on_post(bjorn, post, "@carla should see this")
    assert kinds(carla) == []


def test_commenting_on_a_post_one_may_not_see_is_refused_and_nothing_saved(anna, bjorn, carla):
    connect(anna, bjorn)
    post = post_on_board(anna, "Network only", audience=Audience.NETWORK)
    before = Post.objects.values().get(pk=post.pk)
    with pytest.raises(PermissionDenied):
        comment_on_post(carla, post, "Let me in")
    assert Post.objects.values().get(pk=post.pk) == before
    assert not Comment.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.COMMENT).exists()


@pytest.mark.parametrize("body", ["", "  ", "x" * (COMMENT_BODY_MAX_CHARS + 1)])
def test_an_empty_or_oversized_comment_is_refused(anna, bjorn, body):
    post = post_on_board(anna, "Hello")
    with pytest.raises(ValidationError):
        comment_on_post(bjorn, post, body)
    assert not Comment.objects.exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0


# --- Recommendations --------------------------------------------------------


def test_recommending_twice_counts_once(anna, bjorn):
    post = post_on_board(anna, "Hello")
    assert recommend_post(bjorn, post) is True
    assert recommend_post(bjorn, post) is False
    assert Post.objects.get(pk=post.pk).recommendation_count == 1
    assert recommended_ids(bjorn, [post]) == {post.pk}
    assert recommended_ids(anna, [post]) == set()


def test_withdrawing_a_recommendation(anna, bjorn, carla):
    post = post_on_board(anna, "Hello")
    recommend_post(bjorn, post)
    recommend_post(carla, post)
    assert withdraw_recommendation(bjorn, post) is True
    assert withdraw_recommendation(bjorn, post) is False
    assert Post.objects.get(pk=post.pk).recommendation_count == 1
    assert list(Recommendation.objects.values_list("person_id", flat=True)) == [carla.pk]


def test_recommending_a_post_one_may_not_see_is_refused(anna, bjorn):
    post = post_on_board(anna, "Mine", audience=Audience.NETWORK)
    with pytest.raises(PermissionDenied):
        recommend_post(bjorn, post)
    assert Post.objects.get(pk=post.pk).recommendation_count == 0


# --- Deleting ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["author", "board_owner"])
def test_the_author_or_the_board_owner_deletes_a_post_with_its_comments(anna, bjorn, carla, who):
    post = post_on_board(anna, "On your board @carla", board_owner=bjorn)
    comment_on_post(carla, post, "Nice")
    delete_post({"author": anna, "board_owner": bjorn}[who], post)
    assert not Post.objects.exists()
    assert not Comment.objects.exists()
    assert not Mention.objects.exists()
    assert not Notification.objects.exists()


def test_nobody_else_deletes_a_post(anna, bjorn, carla):
    post = post_on_board(anna, "On your board", board_owner=bjorn)
    with pytest.raises(PermissionDenied):
        delete_post(carla, post)
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize("who", ["comment_author", "post_author", "board_owner"])
def test_who_may_delete_a_comment(anna, bjorn, carla, who):
    post = post_on_board(anna, "On your board", board_owner=bjorn)
    comment = comment_on_post(carla, post, "Nice")
    delete_comment(
        {"comment_author": carla, "post_author": anna, "board_owner": bjorn}[who], comment
    )
    assert not Comment.objects.exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_nobody_else_deletes_a_comment(anna, bjorn, carla, make_person):
    dag = make_person("Dag Berg", "dag")
    post = post_on_board(anna, "Hello")
    comment = comment_on_post(carla, post, "Nice")
    comment_on_post(dag, post, "Also nice")
    for other in (bjorn, dag):
        with pytest.raises(PermissionDenied):
            delete_comment(other, comment)
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert Post.objects.get(pk=post.pk).comment_count == 2


# --- Reading ----------------------------------------------------------------


def test_visible_post_never_reveals_a_post_one_may_not_see(anna, bjorn):
    post = post_on_board(anna, "Mine", audience=Audience.NETWORK)
    assert visible_post(anna, post.pk) == post
    with pytest.raises(NotFound):
        visible_post(bjorn, post.pk)
    with pytest.raises(NotFound):
        visible_post(bjorn, post.pk + 1000)
