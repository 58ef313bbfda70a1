"""The home page's panel, the profile, "Not interested" with and without JS, and the API."""

import pytest

from kollega.network.services import connect
from kollega.people.services import tag_person
from kollega.people.tests.factories import make_person, signed_in
from kollega.recommendations.models import Dismissal

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle():
    anna, bo, cy, dana = (make_person(name) for name in ("Anna", "Bo", "Cy", "Dana"))
    connect(anna, bo)
    connect(anna, cy)
    connect(bo, dana)
    connect(cy, dana)
    return anna, bo, cy, dana


def test_the_home_page_loads_the_suggestions_panel_after_the_page(circle):
    anna = circle[0]
    client = signed_in(anna)
    home = client.get("/").content.decode()
    assert "Suggestions for you" in home
    assert 'hx-get="/recommendations/panel/?next=/"' in home
    assert "Dana" not in home  # the page never waits for the suggestions
    panel = client.get("/recommendations/panel/?next=/").content.decode()
    assert "Dana" in panel and "You share 2 contacts" in panel
    assert "Not interested" in panel


def test_not_interested_without_javascript_redirects_back_and_is_remembered(circle):
    anna, _bo, _cy, dana = circle
    client = signed_in(anna)
    response = client.post(
        "/recommendations/dismiss/", {"kind": "person", "id": dana.pk, "next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Dana" not in client.get("/recommendations/").content.decode()
    assert Dismissal.objects.filter(person=anna, kind="person", object_id=dana.pk).exists()


def test_not_interested_with_htmx_replaces_the_item_with_a_note(circle):
    anna, _bo, _cy, dana = circle
    response = signed_in(anna).post(
        "/recommendations/dismiss/", {"kind": "person", "id": dana.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "You will not see this suggestion again." in response.content.decode()


def test_not_interested_in_nonsense_is_a_clear_error_and_saves_nothing(circle):
    client = signed_in(circle[0])
    for body in ({"kind": "friend", "id": 1}, {"kind": "person", "id": "x"}, {}):
        assert client.post("/recommendations/dismiss/", body).status_code == 400
    assert not Dismissal.objects.exists()


def test_my_profile_suggests_people_and_a_colleagues_profile_colleagues_like_them(circle):
    anna, bo, cy, dana = circle
    own = signed_in(anna).get("/people/anna/").content.decode()
    assert "People you may know" in own and "Dana" in own
    tag_person(bo, bo, ["yeast"])
    tag_person(dana, dana, ["yeast"])
    theirs = signed_in(anna).get("/people/bo/").content.decode()
    assert "Colleagues like Bo" in theirs and "Also knows #yeast" in theirs


def test_the_api_lists_recommendations_and_remembers_not_interested(circle, api_as):
    anna, _bo, _cy, dana = circle
    api = api_as(anna)
    listed = api.get("/me/recommendations").json()
    assert listed == [
        {
            "kind": "person",
            "id": dana.pk,
            "title": "Dana",
            "url": "/people/dana/",
            "reasons": ["You share 2 contacts"],
        }
    ]
    assert (
        api.post("/me/recommendations/dismiss", {"kind": "person", "id": dana.pk}).status_code
        == 204
    )
    assert (
        api.post("/me/recommendations/dismiss", {"kind": "person", "id": dana.pk}).status_code
        == 204
    )
    assert api.get("/me/recommendations").json() == []
    bad = api.post("/me/recommendations/dismiss", {"kind": "friend", "id": 1})
    assert bad.status_code == 400 and "kind" in bad.json()["detail"]
    assert api.post("/me/recommendations/dismiss", {"kind": "person", "id": 0}).status_code == 400
    assert api.get("/me/recommendations", {"limit_per_kind": 0}).status_code == 400


def test_the_openapi_document_describes_both_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    dismiss = document["paths"]["/api/v1/me/recommendations/dismiss"]["post"]
    body = dismiss["requestBody"]["content"]["application/json"]["schema"]
    schema = document["components"]["schemas"][body["$ref"].split("/")[-1]]
    assert schema["properties"]["kind"]["enum"] == ["person", "community", "content"]
    listed = document["paths"]["/api/v1/me/recommendations"]["get"]["responses"]["200"]
    assert "RecommendedItemOut" in str(listed)
