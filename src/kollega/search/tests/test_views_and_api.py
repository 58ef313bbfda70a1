"""The search page, the suggestions under the search box, and GET /api/v1/search."""

import pytest

from kollega.communities.services import create_community, post_in_community
from kollega.people.tests.factories import signed_in
from kollega.posts.services import post_on_board

pytestmark = pytest.mark.django_db


def test_the_page_groups_results_by_type_and_filters_by_community(anna, bjorn):
    brewers = create_community(bjorn, "Brewers")
    post_in_community(bjorn, brewers, "Dry hopping tips")
    post_on_board(bjorn, "Hopping on the train")
    page = signed_in(anna).get("/search/", {"q": "hopping"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h2 id="group-post">Posts</h2>' in html
    assert "2 results" in html
    assert f"community={brewers.slug}" in html
    filtered = signed_in(anna).get("/search/", {"q": "hopping", "community": brewers.slug})
    html = filtered.content.decode()
    assert "1 result" in html and "Dry <mark>hopping</mark> tips" in html
    assert "Hopping on the train" not in html
    assert "Remove Community: brewers" in html


def test_htmx_gets_only_the_results(anna, bjorn):
    post_on_board(bjorn, "Saffron buns")
    html = signed_in(anna).get("/search/", {"q": "saffron"}, HTTP_HX_REQUEST="true")
    assert "<h1>" not in html.content.decode()
    assert "<mark>Saffron</mark>" in html.content.decode()


@pytest.mark.parametrize("q", ['"', "***", "(("])
def test_punctuation_alone_is_refused_on_the_page_with_the_reason(anna, q):
    page = signed_in(anna).get("/search/", {"q": q})
    assert page.status_code == 400
    html = page.content.decode()
    assert '<p class="error" role="alert">Type a word or a name to search for' in html
    assert 'id="search-count"' not in html


def test_an_unbalanced_quote_still_finds_the_word(anna, bjorn):
    post_on_board(bjorn, 'An "unbalanced" budget (draft)')
    post_on_board(bjorn, "A balanced budget")
    page = signed_in(anna).get("/search/", {"q": '"unbalanced'})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<p class="meta" role="status" id="search-count">1 result</p>' in html
    assert "An &quot;<mark>unbalanced</mark>&quot; budget (draft)" in html
    assert "A balanced budget" not in html


def test_a_very_long_query_is_cut_and_says_so(anna, bjorn):
    post_on_board(bjorn, "Juniper berries")
    page = signed_in(anna).get("/search/", {"q": "juniper " + "x" * 10_000})
    assert page.status_code == 200
    html = page.content.decode()
    assert "only its first words were searched for" in html
    assert "<mark>Juniper</mark> berries" in html


def test_bad_filters_on_the_page_and_the_api_are_400_with_a_reason(anna):
    page = signed_in(anna).get("/search/", {"q": "beer", "since": "yesterday"})
    assert page.status_code == 400 and "must be a date" in page.content.decode()
    api = signed_in(anna).get("/api/v1/search", {"q": "beer", "type": "spaceship"})
    assert api.status_code == 400 and "Unknown type" in api.json()["detail"]
    api = signed_in(anna).get("/api/v1/search", {"q": '"*'})
    assert api.status_code == 400 and "Type a word" in api.json()["detail"]


def test_explain_shows_score_parts_to_administrators_only(anna, bjorn):
    post_on_board(bjorn, "Cardamom")
    assert (
        "recency"
        not in signed_in(anna).get("/search/", {"q": "cardamom", "explain": "1"}).content.decode()
    )
    anna.user.is_staff = True
    anna.user.save()
    page = signed_in(anna).get("/search/", {"q": "cardamom", "explain": "1"})
    assert "recency" in page.content.decode()
    api = signed_in(anna).get("/api/v1/search", {"q": "cardamom", "explain": "true"})
    assert set(api.json()["items"][0]["score_parts"]) >= {"text", "contact", "recency"}


def test_the_api_answers_with_items_count_and_facets(anna, bjorn):
    for n in range(3):
        post_on_board(bjorn, f"Juniper {n}")
    body = signed_in(anna).get("/api/v1/search", {"q": "juniper", "limit": 2}).json()
    assert body["count"] == 3 and body["next_offset"] == 2 and len(body["items"]) == 2
    assert body["items"][0]["author"] == {"username": "bjorn", "name": "Bjørn Hansen"}
    assert body["facets"]["type"] == [{"value": "post", "label": "Posts", "count": 3}]


def test_suggestions_as_you_type(anna, bjorn):
    create_community(bjorn, "Bjørnbär pickers")
    html = signed_in(anna).get("/search/suggest", {"q": "bjo"}).content.decode()
    assert "Bjørn Hansen" in html and "Bjørnbär pickers" in html
    assert "/search/?q=bjo" in html
    assert signed_in(anna).get("/search/suggest", {"q": ""}).content.decode().strip() == ""
    api = signed_in(anna).get("/api/v1/search/suggest", {"q": "bjo"}).json()
    assert {(i["type"], i["label"]) for i in api} == {
        ("person", "Bjørn Hansen"),
        ("community", "Bjørnbär pickers"),
    }


def test_the_header_search_box_goes_to_search_with_suggestions(anna):
    html = signed_in(anna).get("/").content.decode()
    assert 'action="/search/"' in html and 'hx-get="/search/suggest"' in html


def test_search_is_in_the_openapi_document(anna):
    paths = signed_in(anna).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/search" in paths and "/api/v1/search/suggest" in paths


def test_the_first_and_last_days_of_the_calendar_bound_nothing_instead_of_failing(anna, bjorn):
    post_on_board(bjorn, "Hopping on the train")
    for dates in ({"since": "0001-01-01"}, {"until": "9999-12-31"}):
        page = signed_in(anna).get("/search/", {"q": "hopping", **dates})
        assert page.status_code == 200
        assert "1 result" in page.content.decode()
