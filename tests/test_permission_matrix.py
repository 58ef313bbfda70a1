"""Who may see a post, checked on every read path against one explicit table.

The rule (kollega/permissions/posts.py):

- organisation: every active colleague;
- network: the author, the board owner and the author's contacts;
- board: the author, the board owner and the board owner's contacts;

and a deactivated colleague sees nothing.

The cast is fixed for every case:

- author: Anna, who writes every post;
- board_owner: Bjørn, on whose board the "colleague's board" posts are written. For posts
  on Anna's own board Anna is the board owner, and Bjørn is just another colleague;
- author_contact: Carla, a contact of Anna only;
- board_owner_contact: Dag, a contact of Bjørn only;
- stranger: Eva, nobody's contact;
- deactivated: Frej, a contact of both Anna and Bjørn who has left.

Every read path is one function in READ_PATHS taking (viewer, post) and answering
"did the viewer get to see it?". A new path (a web page, an API endpoint) is one more
entry there; the table does not change.
"""

import pytest
from django.core.exceptions import PermissionDenied

from kollega.network.services import connect
from kollega.notifications.models import Notification
from kollega.notifications.services import notifications_for
from kollega.people.models import Person
from kollega.permissions.posts import can_see_post
from kollega.posts.models import Audience, Post
from kollega.posts.services import board_posts, comment_on_post, post_on_board, visible_post
from kollega.posts.stream import home_stream

pytestmark = pytest.mark.django_db

WHO = ("author", "board_owner", "author_contact", "board_owner_contact", "stranger", "deactivated")

# case: (audience, written on the board of the board_owner rather than the author's own)
CASES = {
    "board_on_own_board": (Audience.BOARD, False),
    "board_on_colleagues_board": (Audience.BOARD, True),
    "network_on_own_board": (Audience.NETWORK, False),
    "network_on_colleagues_board": (Audience.NETWORK, True),
    "organisation_on_own_board": (Audience.ORGANISATION, False),
    "organisation_on_colleagues_board": (Audience.ORGANISATION, True),
}

Y, N = True, False


def row(*seen: bool) -> dict[str, bool]:
    return dict(zip(WHO, seen, strict=True))


# Who sees the post, per case. Columns in WHO order:
# author, board_owner, author_contact, board_owner_contact, stranger, deactivated.
# fmt: off
EXPECTED = {
    #                                      auth  b.own a.con b.con stran deact
    "board_on_own_board":               row(Y,    N,    Y,    N,    N,    N),
    "board_on_colleagues_board":        row(Y,    Y,    N,    Y,    N,    N),
    "network_on_own_board":             row(Y,    N,    Y,    N,    N,    N),
    "network_on_colleagues_board":      row(Y,    Y,    Y,    N,    N,    N),
    "organisation_on_own_board":        row(Y,    Y,    Y,    Y,    Y,    N),
    "organisation_on_colleagues_board": row(Y,    Y,    Y,    Y,    Y,    N),
}
# fmt: on


# --- Read paths: (viewer, post) -> did the viewer see the post? ----------------------


def _can_see_post(viewer: Person, post: Post) -> bool:
    return can_see_post(viewer, post)


def _visible_to(viewer: Person, post: Post) -> bool:
    return Post.objects.visible_to(viewer).filter(pk=post.pk).exists()


def _home_stream_all(viewer: Person, post: Post) -> bool:
    return post.pk in {p.pk for p in home_stream(viewer, "all").posts}


def _board_posts(viewer: Person, post: Post) -> bool:
    return post.pk in {p.pk for p in board_posts(viewer, post.board_owner)}


def _visible_post(viewer: Person, post: Post) -> bool:
    return visible_post(viewer, post.pk) is not None


def _mention_notification(viewer: Person, post: Post) -> bool:
    """A mention notification pointing at the post is listed only while the post is visible.

    The notification is stored directly, so this checks the read side for every viewer
    (the services never write one for a viewer who cannot see the post; the posts tests
    check that side)."""
    note = Notification.objects.create(
        recipient=viewer, kind=Notification.Kind.MENTION, actor=post.author, post=post
    )
    return notifications_for(viewer).filter(pk=note.pk).exists()


def _comment_on_post(viewer: Person, post: Post) -> bool:
    try:
        comment_on_post(viewer, post, "Seen it.")
    except PermissionDenied:
        assert not post.comments.filter(author=viewer).exists()
        return False
    return True


def _client_for(viewer: Person):
    from django.test import Client

    client = Client()
    # A deactivated account's session is refused by Django's auth backend, as in real use.
    client.force_login(viewer.user)
    return client


def _post_page(viewer: Person, post: Post) -> bool:
    response = _client_for(viewer).get(f"/posts/{post.pk}/")
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200


def _home_page(viewer: Person, post: Post) -> bool:
    response = _client_for(viewer).get("/")
    return response.status_code == 200 and f'id="post-{post.pk}"' in response.content.decode()


def _api_post(viewer: Person, post: Post) -> bool:
    response = _client_for(viewer).get(f"/api/v1/posts/{post.pk}")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200


def _api_stream(viewer: Person, post: Post) -> bool:
    response = _client_for(viewer).get("/api/v1/stream")
    return response.status_code == 200 and post.pk in [i["id"] for i in response.json()["items"]]


READ_PATHS = {
    "web: post page": _post_page,
    "web: home stream": _home_page,
    "api: GET /posts/{id}": _api_post,
    "api: GET /stream": _api_stream,
    "can_see_post": _can_see_post,
    "Post.objects.visible_to": _visible_to,
    "home_stream_all": _home_stream_all,
    "board_posts": _board_posts,
    "visible_post": _visible_post,
    "notifications_for_mention": _mention_notification,
    "comment_on_post": _comment_on_post,
}


# --- The cast and the post -------------------------------------------------------------


@pytest.fixture
def cast(settings) -> dict[str, Person]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from kollega.people.tests.factories import make_person

    people = {
        "author": make_person("Anna Lindqvist", "anna"),
        "board_owner": make_person("Bjørn Hansen", "bjorn"),
        "author_contact": make_person("Carla Smith", "carla"),
        "board_owner_contact": make_person("Dag Berg", "dag"),
        "stranger": make_person("Eva Ek", "eva"),
        "deactivated": make_person("Frej Nord", "frej"),
    }
    connect(people["author"], people["author_contact"])
    connect(people["board_owner"], people["board_owner_contact"])
    connect(people["author"], people["deactivated"])
    connect(people["board_owner"], people["deactivated"])
    people["deactivated"].user.is_active = False
    people["deactivated"].user.save(update_fields=["is_active"])
    return people


def make_post(cast: dict[str, Person], case: str) -> Post:
    audience, on_colleagues_board = CASES[case]
    board_owner = cast["board_owner"] if on_colleagues_board else cast["author"]
    return post_on_board(cast["author"], "Matrix post", board_owner=board_owner, audience=audience)


def test_the_table_covers_every_case_and_person():
    assert set(EXPECTED) == set(CASES)
    assert all(tuple(row) == WHO for row in EXPECTED.values())


@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize("case", CASES)
def test_who_sees_the_post(cast, case, path):
    post = make_post(cast, case)
    seen = {}
    for who in WHO:
        viewer = Person.objects.select_related("user").get(pk=cast[who].pk)
        seen[who] = READ_PATHS[path](viewer, Post.objects.get(pk=post.pk))
    assert seen == EXPECTED[case]
