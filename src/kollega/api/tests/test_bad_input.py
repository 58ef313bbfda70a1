"""Input no careful client sends still gets an answer in the API's shape, never a server error.

A lone surrogate or a NUL in any text, an offset past what a database can count,
a body over the size limit, a path no route matches: each answers `{"detail": …}`
with the documented status, and nothing is changed.
"""

import json

import pytest
from django.test import Client

from kollega.communities.models import Community
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis.models import Page
from kollega.posts.models import Comment, Post
from kollega.qa.models import Question

pytestmark = pytest.mark.django_db

LONE_SURROGATE = "Hi \ud800 there"


def counts() -> dict:
    models = [Post, Comment, Community, Bookmark, Page, Question, BlogEntry]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/posts", {"body": LONE_SURROGATE}),
        ("post", "/posts/{post_id}/comments", {"body": LONE_SURROGATE}),
        ("post", "/communities", {"name": LONE_SURROGATE, "description": "x"}),
        ("post", "/bookmarks", {"url": "https://example.org/a", "title": LONE_SURROGATE}),
        ("post", "/wiki/pages", {"title": LONE_SURROGATE, "body": "x"}),
        ("post", "/questions", {"title": LONE_SURROGATE}),
        ("post", "/blog-entries", {"title": "A title", "body": LONE_SURROGATE}),
        ("post", "/questions/{question_id}/answers", {"body": LONE_SURROGATE}),
        ("patch", "/wiki/pages/{page_id}", {"body": LONE_SURROGATE}),
        ("patch", "/blog-entries/{entry_id}", {"title": LONE_SURROGATE}),
        ("put", "/bookmarks/{bookmark_id}", {"url": "https://example.org/b", "notes": "\x00"}),
        ("patch", "/me", {"about": LONE_SURROGATE, "languages": ["sv", "\ud800"]}),
    ],
)
def test_a_lone_surrogate_or_nul_in_any_text_is_refused_and_nothing_changes(
    organisation, method, path, payload
):
    before, about = counts(), organisation.anna.about
    client = Client(headers={"Authorization": f"Bearer {organisation.key}"})
    response = getattr(client, method)(
        "/api/v1" + path.format(**organisation.path_values),
        data=json.dumps(payload),  # escapes the surrogate as \ud800, as a client would
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]
    assert counts() == before
    organisation.anna.refresh_from_db()
    assert organisation.anna.about == about


def test_a_nul_in_a_query_string_is_refused(organisation, api_as):
    response = api_as(organisation.anna).get("/people", {"q": "an\x00na"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("q: ")


def offset_paged_lists(client) -> list[str]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        path
        for path, operations in document["paths"].items()
        if any(p["name"] == "offset" for p in operations.get("get", {}).get("parameters", []))
    ]


def test_every_offset_paged_list_refuses_an_offset_past_what_a_database_can_count(
    organisation, client
):
    paths = offset_paged_lists(client)
    assert len(paths) >= 15  # people, contacts, communities, questions, wiki pages, …
    api = Client(headers={"Authorization": f"Bearer {organisation.key}"})
    for path in paths:
        url = path.format(**organisation.path_values)
        assert api.get(url, {"offset": 2**40}).status_code in {200, 400}, url
        for offset in (2**63, 2**64):
            response = api.get(url, {"offset": offset, "q": "a"})
            assert response.status_code == 400, url
            assert "offset" in response.json()["detail"], url


def test_a_10_mb_body_gets_the_api_error_shape_not_an_html_page(organisation):
    client = Client(headers={"Authorization": f"Bearer {organisation.key}"})
    before = counts()
    response = client.post(
        "/api/v1/posts",
        data=json.dumps({"body": "x" * (10 * 1024 * 1024)}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large: at most 8 MB."}
    assert counts() == before


def test_a_path_no_route_matches_answers_404_in_the_api_shape(organisation):
    client = Client(headers={"Authorization": f"Bearer {organisation.key}"})
    for path in ("/api/v1/nothing-here", "/api/v1/posts/1/nothing", "/api/v1/people/a%00b"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not Found"}, path


def test_api_answers_are_never_cached_and_vary_with_the_credentials(organisation, client):
    api = Client(headers={"Authorization": f"Bearer {organisation.key}"})
    answers = [
        api.get("/api/v1/me"),  # 200
        client.get("/api/v1/me"),  # 401
        api.get("/api/v1/posts/999999"),  # 404 from the API
        api.get("/api/v1/nothing-here"),  # 404 from Django
        api.post("/api/v1/posts", data="{", content_type="application/json"),  # 400
    ]
    for response in answers:
        assert response["Cache-Control"] == "private, no-store"
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"Authorization", "Cookie"} <= vary


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%ED%A0%80",
        "/people/?q=%ED%A0%80",
        "/experts/?q=%ED%A0%80",
        "/communities/?q=%ED%A0%80",
        "/questions/?q=%ED%A0%80",
    ],
)
def test_pages_with_broken_unicode_in_the_query_string_answer_without_server_error(
    organisation, client, path
):
    client.force_login(organisation.anna.user)
    assert client.get(path).status_code < 500


def test_a_web_form_with_broken_unicode_answers_without_server_error(organisation, client):
    client.force_login(organisation.anna.user)
    response = client.post(
        "/posts/new/",
        data=b"body=Hi+%ED%A0%80+there",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "dates", [{"since": "0001-01-01"}, {"until": "9999-12-31"}, {"since": "9999-12-31"}]
)
def test_a_search_day_beyond_what_can_be_stored_is_refused(organisation, api_as, dates):
    response = api_as(organisation.anna).get("/search", {"q": "brewing", **dates})
    assert response.status_code == 400
    assert "years 1900 to 9000" in response.json()["detail"]


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"])
def test_a_publication_time_beyond_what_can_be_stored_is_refused(organisation, api_as, when):
    api = api_as(organisation.anna)
    before = counts()
    response = api.post("/blog-entries", {"title": "Later", "body": "B", "publish_at": when})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("publish_at: ")
    entry_id = organisation.path_values["entry_id"]
    response = api.post(f"/blog-entries/{entry_id}/schedule", {"publish_at": when})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("publish_at: ")
    assert counts() == before
