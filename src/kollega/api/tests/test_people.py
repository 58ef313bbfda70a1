"""The directory, profiles, one's own profile and tags on people over the API."""

import pytest

from kollega.network.services import connect, follow_person
from kollega.people.models import Person, PersonTag
from kollega.people.services import tag_person, update_profile
from kollega.people.tests.factories import deactivate, make_department, make_office

pytestmark = pytest.mark.django_db


def test_directory_filters_and_pages(anna, bjorn, carla, make_person, api_as):
    sales = make_department("Sales")
    nordic = make_department("Nordic sales", parent=sales)
    oslo = make_office("Oslo", "Oslo", "NO")
    update_profile(bjorn, department=nordic, office=oslo, title="Sommelier")
    tag_person(anna, bjorn, ["wine"])
    left = make_person("Dora Gone", "dora")
    deactivate(left)
    api = api_as(anna)

    everyone = api.get("/people").json()
    assert [p["username"] for p in everyone["items"]] == ["anna", "bjorn", "carla"]
    assert everyone["count"] == 3 and everyone["next_offset"] is None
    assert "password" not in str(everyone)

    assert [p["username"] for p in api.get("/people", {"q": "somm"}).json()["items"]] == ["bjorn"]
    by_department = api.get("/people", {"department": sales.pk}).json()["items"]
    assert [p["username"] for p in by_department] == ["bjorn"]
    assert by_department[0]["department"] == {"id": nordic.pk, "name": "Nordic sales",
                                              "parent_id": sales.pk}  # fmt: skip
    assert [p["username"] for p in api.get("/people", {"office": oslo.pk}).json()["items"]] == [
        "bjorn"
    ]
    assert [p["username"] for p in api.get("/people", {"tag": "#Wine"}).json()["items"]] == [
        "bjorn"
    ]

    first = api.get("/people", {"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    rest = api.get("/people", {"limit": 2, "offset": 2}).json()
    assert [p["username"] for p in rest["items"]] == ["carla"] and rest["next_offset"] is None


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"limit": 101}, "limit: Input should be less than or equal to 100."),
        ({"offset": -1}, "offset: Input should be greater than or equal to 0."),
        ({"department": 999}, "There is no department 999."),
        ({"office": 999}, "There is no office 999."),
    ],
)
def test_directory_bad_parameters_are_400(anna, api_as, params, detail):
    response = api_as(anna).get("/people", params)
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


def test_departments_and_offices_list_for_the_filters(anna, api_as):
    sales = make_department("Sales")
    make_office("Oslo", "Oslo", "NO")
    api = api_as(anna)
    assert api.get("/departments").json() == [{"id": sales.pk, "name": "Sales", "parent_id": None}]
    assert [o["name"] for o in api.get("/offices").json()] == ["Oslo"]


def test_profile_shows_tags_network_and_the_way_there(anna, bjorn, carla, make_person, api_as):
    boss = make_person("Eva Boss", "eva")
    Person.objects.filter(pk=carla.pk).update(manager=boss, languages="Swedish, English")
    connect(anna, bjorn)
    connect(bjorn, carla)
    tag_person(carla, carla, ["python"])
    tag_person(anna, carla, ["python", "wine"])
    tag_person(bjorn, carla, ["python"])
    follow_person(anna, carla)

    profile = api_as(anna).get("/people/carla").json()
    assert profile["manager"] == {"username": "eva", "name": "Eva Boss"}
    assert [p["username"] for p in profile["reporting_chain"]] == ["eva"]
    assert profile["languages"] == ["Swedish", "English"]
    assert profile["tags"] == [
        {"name": "python", "colleagues": 2, "self": True},
        {"name": "wine", "colleagues": 1, "self": False},
    ]
    assert profile["contact_count"] == 1
    assert profile["shared_contact_count"] == 1
    assert profile["shared_contacts"] == [{"username": "bjorn", "name": "Bjørn Hansen"}]
    assert [p["username"] for p in profile["path"]] == ["anna", "bjorn", "carla"]
    assert profile["following"] is True and profile["is_contact"] is False
    assert profile["is_me"] is False and profile["can_see_board"] is True
    assert profile["email"] == "carla@example.org"
    assert "language" not in profile


def test_an_unknown_or_departed_colleague_is_404(anna, bjorn, api_as):
    deactivate(bjorn)
    api = api_as(anna)
    assert api.get("/people/nobody").status_code == 404
    assert api.get("/people/bjorn").json() == {"detail": "Not Found"}


def test_me_and_editing_my_profile(anna, bjorn, api_as):
    sales = make_department("Sales")
    api = api_as(anna)
    assert api.get("/me").json()["is_me"] is True
    response = api.patch(
        "/me",
        {
            "title": "  Buyer ",
            "department": sales.pk,
            "manager": "bjorn",
            "languages": ["Swedish", " English"],
            "board_visibility": "contacts",
            "language": "sv",
        },
    )
    assert response.status_code == 200, response.json()
    me = response.json()
    assert me["title"] == "Buyer" and me["department"]["name"] == "Sales"
    assert me["manager"]["username"] == "bjorn" and me["language"] == "sv"
    assert me["languages"] == ["Swedish", "English"] and me["board_visibility"] == "contacts"
    anna.refresh_from_db()
    assert anna.languages == "Swedish, English"

    assert api.patch("/me", {"department": None, "manager": None}).json()["manager"] is None
    anna.refresh_from_db()
    assert anna.department is None and anna.title == "Buyer"


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"nmae": "Typo"}, "nmae: Extra inputs are not permitted."),
        ({"name": None}, "name: Input should be a valid string."),
        ({"name": "  "}, "name: This field cannot be blank."),
        ({"language": "xx"}, "language: Value 'xx' is not a valid choice."),
        ({"manager": "ghost"}, "Nobody here is called @ghost."),
        ({"manager": "anna"}, "cannot report to someone who reports to them"),
        ({"department": 999}, "There is no department 999."),
        ({"board_visibility": "world"}, "board_visibility: Input should be"),
        ({"time_zone": "Mars/Olympus"}, "Unknown time zone: Mars/Olympus"),
    ],
)
def test_bad_profile_changes_are_400_and_change_nothing(anna, api_as, changes, detail):
    response = api_as(anna).patch("/me", {"title": "Changed", **changes})
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    anna.refresh_from_db()
    assert anna.title == "" and anna.name == "Anna Lindqvist"


def test_tagging_and_untagging_a_colleague(anna, bjorn, api_as):
    api = api_as(anna)
    response = api.post("/people/bjorn/tags", {"tags": ["#Wine", "python"]})
    assert response.status_code == 200
    assert {t["name"] for t in response.json()} == {"wine", "python"}
    assert bjorn.notifications.filter(kind="tagged").count() == 2

    assert api.delete("/people/bjorn/tags/wine").status_code == 204
    assert list(PersonTag.objects.values_list("tag__name", flat=True)) == ["python"]
    # bjorn's own removal rights do not extend to anna, and a tag nobody has is 404
    assert api.delete("/people/bjorn/tags/wine").status_code == 403
    assert api.delete("/people/bjorn/tags/never-used").status_code == 404


@pytest.mark.parametrize(
    ("tags", "detail"),
    [
        ([], "Give at least one tag."),
        ([" "], "Give at least one tag."),
        (["fine", "no good"], "“no good” is not a valid tag"),
        ([f"t{n}" for n in range(21)], "At most 20 tags at a time."),
    ],
)
def test_bad_tags_are_400_and_change_nothing(anna, bjorn, api_as, tags, detail):
    response = api_as(anna).post("/people/bjorn/tags", {"tags": tags})
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert PersonTag.objects.count() == 0
