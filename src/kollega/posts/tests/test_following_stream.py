"""The "following" stream, read per followed tag from the tag links' activity copy,
and the copy itself, kept equal to the post's activity on every write path."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollega.communities.models import Community
from kollega.communities.services import create_community
from kollega.content.blogs.services import edit_entry, write_entry
from kollega.network.services import connect, follow_person, follow_tag, remove_contact
from kollega.posts.models import Audience, Post, PostTag
from kollega.posts.services import comment_on_post, delete_post, post_on_board
from kollega.posts.stream import encode_cursor, home_stream, newer_count, stream_posts
from kollega.qa.services.answers import answer_question
from kollega.qa.services.asking import ask_question

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=30)


def at(minutes: int):
    return START + timedelta(minutes=minutes)


def walk(person, limit: int) -> list[str]:
    """Every page of `person`'s following stream, as the bodies shown in order."""
    shown, cursor = [], None
    while True:
        page = home_stream(person, "following", cursor, limit=limit)
        shown += [p.body for p in page.posts]
        if page.next_cursor is None:
            return shown
        cursor = page.next_cursor


@pytest.fixture
def followed_world(anna, bjorn, carla, make_person):
    """Anna follows Dag and the tags #wine, #cheese and #bread; Eva is a stranger."""
    dag, eva = make_person("Dag Berg", "dag"), make_person("Eva Ek", "eva")
    connect(anna, bjorn)
    follow_person(anna, dag)
    for tag in ("wine", "cheese", "bread"):
        follow_tag(anna, tag)
    secret = create_community(eva, "Cellar", kind=Community.Kind.RESTRICTED)
    posts = [
        post_on_board(dag, "dag plain", created_at=at(1)),
        post_on_board(eva, "eva #wine", created_at=at(2)),
        post_on_board(eva, "eva #wine and #cheese", created_at=at(3)),
        post_on_board(dag, "dag on #bread", created_at=at(4)),
        post_on_board(carla, "carla #cheese", created_at=at(5)),
        post_on_board(eva, "eva #beer", created_at=at(6)),
        # Tagged, but not for Anna's eyes: Eva's network, a restricted community.
        post_on_board(eva, "eva's network #wine", audience=Audience.NETWORK, created_at=at(7)),
        post_on_board(eva, "cellar #wine", community=secret, created_at=at(8)),
        post_on_board(bjorn, "bjorn #bread", audience=Audience.NETWORK, created_at=at(9)),
        post_on_board(carla, "carla #wine", created_at=at(10)),
        post_on_board(carla, "carla #Bread", created_at=at(11)),
    ]
    comment_on_post(anna, posts[1], "lifts it", created_at=at(12))
    return anna


def test_following_shows_followed_people_and_tags_newest_activity_first(followed_world):
    assert walk(followed_world, limit=20) == [
        "eva #wine",  # Anna's comment lifted it to the top
        "carla #Bread",
        "carla #wine",
        "bjorn #bread",  # network-only, and Bjørn is Anna's contact
        "carla #cheese",
        "dag on #bread",  # by a followed person and with a followed tag: once
        "eva #wine and #cheese",  # two followed tags: once
        "dag plain",
    ]


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_following_pages_walk_exactly_what_one_query_would(followed_world, limit):
    """Every page size gives the posts of the single 'visible and followed' query, in
    its order, each once, with nothing the person may not see."""
    expected = [p.body for p in stream_posts(followed_world, "following")]
    assert walk(followed_world, limit) == expected
    assert "cellar #wine" not in expected and "eva's network #wine" not in expected


def test_following_leaves_out_what_the_person_may_no_longer_see(anna, bjorn):
    connect(anna, bjorn)
    follow_tag(anna, "wine")
    post_on_board(bjorn, "for contacts #wine", audience=Audience.NETWORK)
    assert [p.body for p in home_stream(anna, "following").posts] == ["for contacts #wine"]
    remove_contact(anna, bjorn)
    assert home_stream(anna, "following").posts == []


def test_following_nothing_is_empty(anna, bjorn):
    post_on_board(bjorn, "hello #wine")
    page = home_stream(anna, "following")
    assert page.posts == [] and page.next_cursor is None


# --- The activity copy on the tag links ---------------------------------------------------


def assert_links_follow_their_posts():
    links = PostTag.objects.select_related("post")
    assert links.exists()
    assert all(link.last_activity_at == link.post.last_activity_at for link in links)


def test_a_new_post_and_a_comment_keep_the_links_in_step(anna, bjorn):
    post = post_on_board(anna, "About #wine and #cheese", created_at=at(0))
    assert_links_follow_their_posts()
    comment_on_post(bjorn, post, "Nice", created_at=at(30))
    assert_links_follow_their_posts()
    assert set(PostTag.objects.values_list("last_activity_at", flat=True)) == {at(30)}


def test_an_answer_keeps_the_question_links_in_step(anna, bjorn):
    question = ask_question(anna, "Which #wine with fish?", tags=["wine", "fish"])
    answer_question(bjorn, question, "A dry white.")
    question.post.refresh_from_db()
    assert question.post.last_activity_at > question.asked_at
    assert_links_follow_their_posts()


def test_retagging_a_blog_entry_links_the_new_tags_with_the_post_activity(anna, bjorn):
    entry = write_entry(anna, "Tasting", "Notes on #wine", publish=True)
    comment_on_post(bjorn, entry.post, "Thanks")
    edit_entry(anna, entry, title="Tasting", body="Notes on #cheese", tags=["bread"])
    assert set(entry.post.tags.values_list("name", flat=True)) == {"cheese", "bread"}
    assert_links_follow_their_posts()


def test_deleting_a_post_removes_its_links(anna):
    post = post_on_board(anna, "About #wine")
    delete_post(anna, post)
    assert not PostTag.objects.exists()


def test_a_bulk_update_of_activity_is_copied_too(anna):
    """Importers and the demo move activity with bulk updates, not through services."""
    post = post_on_board(anna, "About #wine", created_at=at(0))
    post.last_activity_at = at(90)
    Post.objects.bulk_update([post], ["last_activity_at"])
    assert PostTag.objects.get().last_activity_at == at(90)


def test_newer_count_of_following_counts_new_activity_on_followed_tags_only(anna, bjorn):
    follow_tag(anna, "wine")
    old = post_on_board(bjorn, "old #wine", created_at=at(0))
    other = post_on_board(bjorn, "old #beer", created_at=at(1))
    top = encode_cursor(home_stream(anna, "following").posts[0])
    assert newer_count(anna, "following", top) == 0
    comment_on_post(bjorn, old, "revived", created_at=at(5))
    comment_on_post(bjorn, other, "revived too", created_at=at(6))
    post_on_board(bjorn, "new #Wine", created_at=at(7))
    assert newer_count(anna, "following", top) == 2
