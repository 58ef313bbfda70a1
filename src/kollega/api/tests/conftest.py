"""API test helpers: a client that speaks JSON with a person's token."""

import json
from types import SimpleNamespace

import pytest
from django.test import Client

from kollega.api.services import create_token


class ApiClient:
    """The Django test client, authenticated with a Bearer token, sending JSON."""

    def __init__(self, key: str | None = None, **client_options):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.client = Client(headers=headers, **client_options)

    def _send(self, method: str, path: str, body=None, **extra):
        if body is None:
            return getattr(self.client, method)("/api/v1" + path, **extra)
        return getattr(self.client, method)(
            "/api/v1" + path, data=json.dumps(body), content_type="application/json", **extra
        )

    def get(self, path, params=None):
        return self.client.get("/api/v1" + path, params or {})

    def post(self, path, body=None):
        return self._send("post", path, {} if body is None else body)

    def patch(self, path, body):
        return self._send("patch", path, body)

    def put(self, path, body):
        return self._send("put", path, body)

    def delete(self, path):
        return self._send("delete", path)


def a_small_organisation(make_person) -> SimpleNamespace:
    """People, contacts, posts, communities, a question, blog entries, a bookmark and a wiki
    page, all around Anna; with an API key of hers (`key`) and the ids a path needs."""
    from kollega.communities.services._common import Kind
    from kollega.communities.services.creating import create_community
    from kollega.communities.services.membership import invite_to_community, join_community
    from kollega.content.blogs.services import write_entry
    from kollega.content.bookmarks.services import save_bookmark
    from kollega.content.wikis.services import create_page
    from kollega.network.services import connect, send_invitation
    from kollega.posts.services import comment_on_post, post_on_board
    from kollega.qa.services.answers import answer_question
    from kollega.qa.services.asking import ask_question

    anna = make_person("Anna Lindqvist", "anna")
    bjorn = make_person("Bjørn Hansen", "bjorn")
    carla = make_person("Carla Smith", "carla")
    connect(anna, bjorn)
    send_invitation(carla, anna, "Shall we?")
    post = post_on_board(bjorn, "Tasting on Friday #wine @anna")
    comment_on_post(anna, post, "I'll bring cheese")
    post_on_board(anna, "Notes for @bjorn", bjorn)
    brewers = create_community(anna, "Brewers", "We brew.", ["beer"])
    join_community(bjorn, brewers)
    post_on_board(bjorn, "Hops arrived", community=brewers)
    board = create_community(carla, "Board", "Decisions.", kind=Kind.RESTRICTED)
    invite_to_community(carla, board, anna)
    question = ask_question(anna, "Which yeast for a saison?", "Dry or liquid?", tags=["beer"])
    answer = answer_question(bjorn, question, "Belle Saison, dry.")
    ask_question(carla, "Who orders the wine?")
    entry = write_entry(anna, "Our brewing year", "It went well. #beer", publish=True)
    write_entry(anna, "Draft", "Not yet.")
    bookmark = save_bookmark(anna, "https://example.org/saison", "Saison guide", tags=["beer"])
    page = create_page(anna, None, "Brewing handbook", "Start here.")
    _token, key = create_token(anna, "tests")
    return SimpleNamespace(
        key=key,
        anna=anna,
        path_values={
            "username": "bjorn",
            "post_id": post.pk,
            "slug": brewers.slug,
            "question_id": question.pk,
            "answer_id": answer.pk,
            "entry_id": entry.pk,
            "bookmark_id": bookmark.pk,
            "page_id": page.pk,
            "kind": "post",
            "object_id": post.pk,
        },
    )


@pytest.fixture
def organisation(make_person) -> SimpleNamespace:
    return a_small_organisation(make_person)
