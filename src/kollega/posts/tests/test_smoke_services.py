import pytest
from django.core.exceptions import ValidationError

from kollega.network.services import connect
from kollega.posts.models import Audience, Post
from kollega.posts.services import comment_on_post, post_on_board
from kollega.posts.stream import home_stream


def test_a_comment_lifts_its_thread_to_the_top_of_the_stream(anna, bjorn):
    connect(anna, bjorn)
    old = post_on_board(anna, "First thoughts on #wine storage")
    post_on_board(bjorn, "Something newer")
    comment_on_post(bjorn, old, "Cool and dark, @anna")
    page = home_stream(anna)
    assert [p.pk for p in page.posts][0] == old.pk
    assert 'href="/people/anna/"' in old.comments.get().body_html


def test_a_mention_of_nobody_is_refused_and_nothing_is_saved(anna):
    with pytest.raises(ValidationError, match="@ghost"):
        post_on_board(anna, "Hello @ghost")
    assert Post.objects.count() == 0


def test_network_post_is_hidden_from_a_stranger(anna, bjorn, carla):
    connect(anna, bjorn)
    post_on_board(anna, "Only for my network", audience=Audience.NETWORK)
    assert len(home_stream(bjorn).posts) == 1
    assert home_stream(carla).posts == []
