"""The home stream: filters, newest activity first, cursor pages and 'newer' counts."""

import base64
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kollega.network.services import connect, follow_person, follow_tag
from kollega.posts.models import Audience
from kollega.posts.services import comment_on_post, post_on_board
from kollega.posts.stream import encode_cursor, home_stream, newer_count, stream_posts

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=30)


def at(minutes: int):
    return START + timedelta(minutes=minutes)


def bodies(posts) -> list[str]:
    return [p.body for p in posts]


def walk(person, name="all", limit=3, between_pages=None) -> list[list[str]]:
    """Every page of the stream as the bodies it shows; `between_pages(n)` runs after page n."""
    pages, cursor = [], None
    while True:
        page = home_stream(person, name, cursor, limit=limit)
        pages.append(bodies(page.posts))
        if page.next_cursor is None:
            return pages
        if between_pages:
            between_pages(len(pages))
        cursor = page.next_cursor


def b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- Filters ----------------------------------------------------------------


@pytest.fixture
def world(anna, bjorn, carla, make_person):
    """Anna's view: Bjørn is her contact, she follows Dag and the tag #wine; Eva is a stranger."""
    dag, eva = make_person("Dag Berg", "dag"), make_person("Eva Ek", "eva")
    connect(anna, bjorn)
    follow_person(anna, dag)
    follow_tag(anna, "wine")
    post_on_board(anna, "anna's own", created_at=at(1))
    post_on_board(bjorn, "bjorn's", created_at=at(2))
    post_on_board(dag, "dag's", created_at=at(3))
    post_on_board(eva, "eva on #wine", created_at=at(4))
    post_on_board(carla, "carla mentions @anna", created_at=at(5))
    comment_on_post(anna, post_on_board(eva, "eva asks", created_at=at(6)), "I know")
    commented = post_on_board(carla, "carla asks", created_at=at(7))
    comment_on_post(eva, commented, "ask @anna", created_at=at(8))
    post_on_board(eva, "eva's network only", audience=Audience.NETWORK, created_at=at(9))
    return anna


def test_all_shows_every_visible_post_newest_activity_first(world):
    assert bodies(home_stream(world, "all").posts) == [
        "eva asks",  # Anna's comment just now lifted it to the top
        "carla asks",
        "carla mentions @anna",
        "eva on #wine",
        "dag's",
        "bjorn's",
        "anna's own",
    ]


def test_network_shows_posts_by_contacts_and_oneself(world):
    assert bodies(home_stream(world, "network").posts) == ["bjorn's", "anna's own"]


def test_following_shows_posts_by_followed_people_and_with_followed_tags(world):
    assert bodies(home_stream(world, "following").posts) == ["eva on #wine", "dag's"]


def test_following_a_person_alone(anna, bjorn):
    post_on_board(bjorn, "Hello")
    assert home_stream(anna, "following").posts == []
    follow_person(anna, bjorn)
    assert bodies(home_stream(anna, "following").posts) == ["Hello"]


def test_following_a_tag_alone(anna, bjorn):
    post_on_board(bjorn, "About #Wine")
    post_on_board(bjorn, "About #cheese")
    follow_tag(anna, "#wine")
    assert bodies(home_stream(anna, "following").posts) == ["About #Wine"]


def test_mentions_include_a_mention_in_a_comment(world):
    assert bodies(home_stream(world, "mentions").posts) == ["carla asks", "carla mentions @anna"]


def test_mentions_leave_out_posts_one_may_not_see(anna, bjorn, carla):
    connect(bjorn, carla)
    post_on_board(bjorn, "hush @anna", audience=Audience.NETWORK)
    assert home_stream(anna, "mentions").posts == []
    assert bodies(home_stream(carla, "all").posts) == ["hush @anna"]


def test_an_unknown_filter_is_refused(anna):
    with pytest.raises(ValidationError):
        home_stream(anna, "everything-ever")


def test_each_post_comes_with_its_comments_oldest_first(anna, bjorn):
    post = post_on_board(anna, "Hello", created_at=at(0))
    comment_on_post(bjorn, post, "second", created_at=at(2))
    comment_on_post(anna, post, "first", created_at=at(1))
    (shown,) = home_stream(bjorn).posts
    assert [c.body for c in shown.comments.all()] == ["first", "second"]


# --- Cursor pages -----------------------------------------------------------


@pytest.fixture
def ten_posts(anna, bjorn):
    """Ten posts; posts 4-6 share one timestamp, so the id breaks the tie."""
    stamps = [0, 1, 2, 3, 4, 4, 4, 5, 6, 7]
    return [post_on_board(anna, f"post {n}", created_at=at(m)) for n, m in enumerate(stamps)]


def test_pages_walk_every_post_exactly_once_newest_first(bjorn, ten_posts):
    pages = walk(bjorn, limit=3)
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert sum(pages, []) == [f"post {n}" for n in range(9, -1, -1)]


def test_a_page_exactly_filling_the_rest_has_no_next_cursor(bjorn, ten_posts):
    assert [len(p) for p in walk(bjorn, limit=5)] == [5, 5]
    assert home_stream(bjorn, limit=10).next_cursor is None


def test_a_comment_on_a_post_already_shown_does_not_repeat_it(anna, bjorn, ten_posts):
    """The thread rises above the cursor: later pages do not show it again, and
    'newer' counts it, so the reader finds it at the top when they refresh."""
    top = encode_cursor(home_stream(bjorn, limit=3).posts[0])

    def comment_on_post_9(page_number):
        if page_number == 1:
            comment_on_post(anna, ten_posts[9], "still here")

    pages = walk(bjorn, limit=3, between_pages=comment_on_post_9)
    shown = sum(pages, [])
    assert len(shown) == len(set(shown)) == 10
    assert newer_count(bjorn, "all", top) == 1


def test_a_comment_on_a_post_not_yet_shown_moves_it_to_the_top_not_into_later_pages(
    anna, bjorn, ten_posts
):
    """Documented behaviour: the cursor is (last activity, id), so a thread that gets a
    comment while the reader is on page 1 jumps above the cursor. Later pages do not
    show it (no duplicate later when the reader refreshes), and `newer_count` reports
    it at the top. Pages plus the newer threads show every visible post exactly once."""
    first = home_stream(bjorn, limit=3)
    top = encode_cursor(first.posts[0])

    def comment_on_post_2(page_number):
        if page_number == 1:
            comment_on_post(anna, ten_posts[2], "bump")

    pages = walk(bjorn, limit=3, between_pages=comment_on_post_2)
    shown = sum(pages, [])
    assert "post 2" not in shown
    assert len(shown) == len(set(shown)) == 9
    assert newer_count(bjorn, "all", top) == 1
    newer = bodies(home_stream(bjorn, limit=1).posts)
    assert newer == ["post 2"]
    assert sorted(shown + newer) == sorted(f"post {n}" for n in range(10))


def test_pages_only_hold_what_the_person_may_see(anna, bjorn, carla):
    connect(anna, bjorn)
    for n in range(6):
        audience = Audience.NETWORK if n % 2 else Audience.ORGANISATION
        post_on_board(anna, f"post {n}", audience=audience, created_at=at(n))
    assert sum(walk(bjorn, limit=2), []) == [f"post {n}" for n in range(5, -1, -1)]
    assert sum(walk(carla, limit=2), []) == ["post 4", "post 2", "post 0"]


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "abc",
        "é",
        b64("nope"),
        b64("a|b|c"),
        b64("yesterday|3"),
        b64("2024-01-01T00:00:00+00:00|x"),
        b64("2024-01-01T00:00:00|3"),  # no time zone: not one we made
        b64("2024-01-01T00:00:00+00:00|99999999999999999999999"),
        b64("2024-01-01T00:00:00+00:00|-1"),
        "\x00",
        b64("9999-12-31T23:59:59-05:00|3"),  # past the last time a database holds
        b64("0001-01-01T00:00:00+05:00|3"),  # before the first
    ],
)
def test_a_damaged_cursor_is_a_validation_error(anna, cursor):
    post_on_board(anna, "Hello")
    with pytest.raises(ValidationError, match="damaged"):
        home_stream(anna, cursor=cursor)
    with pytest.raises(ValidationError, match="damaged"):
        newer_count(anna, "all", cursor)


def test_a_cursor_round_trips(anna, ten_posts):
    page = home_stream(anna, limit=4)
    assert page.next_cursor == encode_cursor(page.posts[-1])
    assert bodies(home_stream(anna, cursor=page.next_cursor, limit=1).posts) == ["post 5"]


# --- Newer activity ---------------------------------------------------------


def test_newer_count_counts_new_posts_and_new_comments_the_person_may_see(anna, bjorn, carla):
    old = post_on_board(anna, "old", created_at=at(0))
    top = encode_cursor(home_stream(bjorn).posts[0])
    assert newer_count(bjorn, "all", top) == 0
    post_on_board(carla, "new")
    post_on_board(carla, "secret", audience=Audience.NETWORK)
    assert newer_count(bjorn, "all", top) == 1
    comment_on_post(carla, old, "bump")
    assert newer_count(bjorn, "all", top) == 2
    assert newer_count(bjorn, "network", top) == 0


def test_newer_count_follows_the_filter(anna, bjorn, carla):
    connect(anna, bjorn)
    post_on_board(anna, "start", created_at=at(0))
    top = encode_cursor(stream_posts(anna, "network").first())
    post_on_board(bjorn, "from a contact")
    post_on_board(carla, "from a stranger")
    assert newer_count(anna, "network", top) == 1
    assert newer_count(anna, "all", top) == 2
