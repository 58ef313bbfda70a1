"""Posts, boards, the stream, comments and recommendations over the API."""

import pytest

from kollega.network.services import connect, follow_person
from kollega.people.models import Person
from kollega.posts.models import Audience, Comment, Post, Recommendation
from kollega.posts.services import comment_on_post, post_on_board

pytestmark = pytest.mark.django_db


def ids(page: dict) -> list[int]:
    return [item["id"] for item in page["items"]]


def test_posting_then_reading_it_back(anna, bjorn, api_as):
    response = api_as(anna).post(
        "/posts", {"body": "Tasting on **Friday** #wine @bjorn", "audience": "organisation"}
    )
    assert response.status_code == 201
    post = response.json()
    assert post["author"] == post["board_owner"] == {"username": "anna", "name": "Anna Lindqvist"}
    assert post["tags"] == ["wine"] and "<strong>Friday</strong>" in post["body_html"]
    assert post["audience"] == "organisation" and post["source"] is None
    assert post["url"] == f"http://testserver/posts/{post['id']}/"
    assert bjorn.notifications.get().kind == "mention"

    again = api_as(bjorn).get(f"/posts/{post['id']}").json()
    assert again["body"] == "Tasting on **Friday** #wine @bjorn"
    assert set(again) == {
        "id", "author", "board_owner", "audience", "community", "body", "body_html", "tags",
        "created_at", "last_activity_at", "comment_count", "recommendation_count",
        "recommended_by_me", "source", "url", "classification", "edited_at",
    }  # fmt: skip


def test_posting_on_a_colleagues_board(anna, bjorn, carla, api_as):
    response = api_as(anna).post("/posts", {"body": "Congratulations!", "board": "bjorn"})
    assert response.status_code == 201
    assert response.json()["board_owner"]["username"] == "bjorn"
    assert bjorn.notifications.get().kind == "board_post"
    board = api_as(carla).get("/people/bjorn/board").json()
    assert [p["body"] for p in board["items"]] == ["Congratulations!"]


def test_imported_posts_carry_their_source(anna, api_as):
    post = post_on_board(
        anna,
        "Imported",
        source={
            "source_name": "SE",
            "source_url": "https://e.x/1",
            "source_author": "Someone",
        },  # fmt: skip
    )
    assert api_as(anna).get(f"/posts/{post.pk}").json()["source"] == {
        "name": "SE", "url": "https://e.x/1", "author": "Someone"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        ({"body": "   "}, 400, "Write something first."),
        ({"body": "x" * 5001}, 400, "Too long: 5001 characters, at most 5000."),
        ({"body": "Hi @ghost"}, 400, "Nobody here is called @ghost."),
        ({"body": "Hi", "audience": "world"}, 400, "audience: Input should be"),
        ({"body": "Hi", "board": "ghost"}, 400, "Nobody here is called @ghost."),
        ({"audience": "organisation"}, 400, "body: Field required."),
        ({"body": "Hi", "board": "bjorn"}, 403, "You may not post on this board."),
        (
            {"body": "Hi", "board": "carla", "audience": "organisation"},
            400,
            "Carla Smith keeps their board to contacts; choose a narrower audience.",
        ),
    ],
)
def test_bad_posts_are_refused_with_a_clear_detail_and_nothing_saved(
    anna, bjorn, carla, api_as, payload, status, detail
):
    # bjorn's board is for his contacts only and anna is not one; carla's too, but anna is.
    Person.objects.filter(pk__in=[bjorn.pk, carla.pk]).update(board_visibility="contacts")
    connect(anna, carla)
    response = api_as(anna).post("/posts", payload)
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert Post.objects.count() == 0


def test_a_network_post_is_invisible_to_a_stranger_everywhere(anna, bjorn, carla, api_as):
    connect(anna, bjorn)
    post = post_on_board(anna, "Only for my network", audience=Audience.NETWORK)
    public = post_on_board(anna, "For everyone")

    assert api_as(bjorn).get(f"/posts/{post.pk}").status_code == 200
    stranger = api_as(carla)
    hidden = stranger.get(f"/posts/{post.pk}")
    missing = stranger.get("/posts/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "Not Found"}
    assert ids(stranger.get("/stream").json()) == [public.pk]
    assert ids(stranger.get("/people/anna/board").json()) == [public.pk]
    # nor can a stranger touch it
    assert stranger.get(f"/posts/{post.pk}/comments").status_code == 404
    assert stranger.post(f"/posts/{post.pk}/comments", {"body": "Hi"}).status_code == 404
    assert stranger.post(f"/posts/{post.pk}/recommendation").status_code == 404
    assert stranger.delete(f"/posts/{post.pk}/recommendation").status_code == 404
    assert stranger.delete(f"/posts/{post.pk}").status_code == 404
    assert Comment.objects.count() == 0 and Recommendation.objects.count() == 0
    assert Post.objects.count() == 2


def test_a_contacts_only_board_is_404_for_others(anna, bjorn, carla, api_as):
    Person.objects.filter(pk=bjorn.pk).update(board_visibility="contacts")
    connect(anna, bjorn)
    post_on_board(bjorn, "Visible to contacts only? No: organisation, but the board is closed")
    assert len(api_as(anna).get("/people/bjorn/board").json()["items"]) == 1
    response = api_as(carla).get("/people/bjorn/board")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert api_as(carla).get("/people/ghost/board").status_code == 404


def test_stream_filters_and_cursor_pages(anna, bjorn, carla, make_person, api_as):
    dora = make_person("Dora Lind", "dora")
    connect(anna, bjorn)
    follow_person(anna, carla)
    by_bjorn = post_on_board(bjorn, "From my contact")
    by_carla = post_on_board(carla, "From someone I follow")
    mention = post_on_board(dora, "Ping @anna")
    api = api_as(anna)

    assert ids(api.get("/stream").json()) == [mention.pk, by_carla.pk, by_bjorn.pk]
    assert ids(api.get("/stream", {"filter": "network"}).json()) == [by_bjorn.pk]
    assert ids(api.get("/stream", {"filter": "following"}).json()) == [by_carla.pk]
    assert ids(api.get("/stream", {"filter": "mentions"}).json()) == [mention.pk]

    comment_on_post(anna, by_bjorn, "Lifts the thread")
    first = api.get("/stream", {"limit": 2}).json()
    assert ids(first) == [by_bjorn.pk, mention.pk] and first["next_cursor"]
    second = api.get("/stream", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert ids(second) == [by_carla.pk] and second["next_cursor"] is None

    later = post_on_board(bjorn, "Another one on my board")
    board = api.get("/people/bjorn/board", {"limit": 1}).json()
    assert ids(board) == [later.pk] and board["next_cursor"]
    rest = api.get("/people/bjorn/board", {"limit": 1, "cursor": board["next_cursor"]}).json()
    assert ids(rest) == [by_bjorn.pk] and rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"filter": "everything"}, "filter: Input should be 'all', 'network'"),
        ({"cursor": "not-a-cursor"}, "This page link is damaged; start from the top."),
        ({"limit": 0}, "limit: Input should be greater than or equal to 1."),
    ],
)
def test_bad_stream_parameters_are_400(anna, api_as, params, detail):
    response = api_as(anna).get("/stream", params)
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    response = api_as(anna).get("/people/anna/board", params)
    assert response.status_code == (200 if "filter" in params else 400)


def test_comments(anna, bjorn, api_as):
    post = post_on_board(anna, "Question?")
    as_bjorn = api_as(bjorn)
    response = as_bjorn.post(f"/posts/{post.pk}/comments", {"body": "Answer, @anna"})
    assert response.status_code == 201
    comment = response.json()
    assert comment["post_id"] == post.pk and comment["author"]["username"] == "bjorn"
    assert 'href="/people/anna/"' in comment["body_html"]
    as_bjorn.post(f"/posts/{post.pk}/comments", {"body": "And more"})

    page = api_as(anna).get(f"/posts/{post.pk}/comments").json()
    assert [c["body"] for c in page["items"]] == ["Answer, @anna", "And more"]
    assert page["count"] == 2
    assert api_as(anna).get(f"/posts/{post.pk}").json()["comment_count"] == 2

    for body, detail in [
        ("", "Write something first."),
        ("x" * 2001, "Too long: 2001 characters, at most 2000."),
        ("@ghost?", "Nobody here is called @ghost."),
    ]:
        response = as_bjorn.post(f"/posts/{post.pk}/comments", {"body": body})
        assert response.status_code == 400 and response.json() == {"detail": detail}
    assert Comment.objects.count() == 2

    # anna owns the post, so she may delete bjorn's comment; bjorn may not delete the post
    assert api_as(anna).delete(f"/posts/{post.pk}/comments/{comment['id']}").status_code == 204
    assert api_as(anna).delete(f"/posts/{post.pk}/comments/{comment['id']}").status_code == 404
    assert Comment.objects.count() == 1


def test_deleting_a_post(anna, bjorn, api_as):
    post = post_on_board(anna, "Oops")
    response = api_as(bjorn).delete(f"/posts/{post.pk}")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author or the board owner can delete this post."}
    assert api_as(anna).delete(f"/posts/{post.pk}").status_code == 204
    assert Post.objects.count() == 0
    assert api_as(anna).get(f"/posts/{post.pk}").status_code == 404


def test_recommending_and_withdrawing(anna, bjorn, api_as):
    post = post_on_board(anna, "Worth reading")
    api = api_as(bjorn)
    assert api.post(f"/posts/{post.pk}/recommendation").json() == {
        "recommended": True, "changed": True, "recommendation_count": 1
    }  # fmt: skip
    assert api.post(f"/posts/{post.pk}/recommendation").json()["changed"] is False
    assert api.get(f"/posts/{post.pk}").json()["recommended_by_me"] is True
    assert api.get("/stream").json()["items"][0]["recommended_by_me"] is True
    assert api_as(anna).get(f"/posts/{post.pk}").json()["recommended_by_me"] is False
    assert api.delete(f"/posts/{post.pk}/recommendation").json() == {
        "recommended": False, "changed": True, "recommendation_count": 0
    }  # fmt: skip
    assert api.delete(f"/posts/{post.pk}/recommendation").json()["changed"] is False
