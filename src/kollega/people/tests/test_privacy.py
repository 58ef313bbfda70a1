"""Privacy settings: who sees a colleague's contacts, phone and office, and who appears
in "who knows", on every read path (kollega/permissions/privacy.py).

For each setting and each viewer, the profile page, the API, the directory (people
search) and "who knows" show the part or keep it back. The cast: Anna, whose settings
change; Bjørn, her contact; Carla, a colleague who is not; Dag, a contact of both
Anna and Carla (so Carla and Anna share a contact).
"""

import json

import pytest

from kollega.expertise.services import find_experts
from kollega.network.services import connect
from kollega.people import services
from kollega.people.export import export_person
from kollega.people.models import Person
from kollega.people.services import find_people, tag_person, update_privacy, update_profile
from kollega.people.tests.factories import make_office, signed_in
from kollega.search.services import search

pytestmark = pytest.mark.django_db

PHONE = "+46 70 123 45 67"
SEEN_BY = [choice.value for choice in Person.SeenBy]
VIEWERS = ["self", "contact", "colleague"]
# Who sees a part kept to: (self, contact, colleague)
SEES = {
    "everyone": {"self": True, "contact": True, "colleague": True},
    "contacts": {"self": True, "contact": True, "colleague": False},
    "only_me": {"self": True, "contact": False, "colleague": False},
}


@pytest.fixture
def office(db):
    return make_office("Lilla Bommen", "Göteborg", "SE")


@pytest.fixture
def people(anna, bjorn, carla, dag, office):
    update_profile(anna, phone=PHONE, office=office)
    connect(anna, bjorn)
    connect(anna, dag)
    connect(carla, dag)
    return {"self": anna, "contact": bjorn, "colleague": carla}


def _put(api, body):
    return api.client.put(
        "/api/v1/me/privacy", data=json.dumps(body), content_type="application/json"
    )


def _refresh(person: Person) -> Person:
    return Person.objects.with_profile_parts().get(pk=person.pk)


def test_the_defaults_keep_everything_as_it_was(anna):
    assert services.privacy_of(anna) == {
        "contacts_seen_by": "everyone",
        "phone_seen_by": "everyone",
        "location_seen_by": "everyone",
        "in_who_knows": True,
        "in_recommendations": True,
    }


# --- phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("seen_by", SEEN_BY)
def test_the_phone_number_shows_on_the_profile_and_in_the_api_as_set(
    people, api_as, seen_by, viewer
):
    anna = people["self"]
    update_privacy(anna, phone_seen_by=seen_by)
    expected = SEES[seen_by][viewer]
    page = signed_in(people[viewer]).get("/people/anna/")
    assert page.status_code == 200
    assert (PHONE in page.content.decode()) is expected
    profile = api_as(people[viewer]).get("/people/anna").json()
    assert profile["phone"] == (PHONE if expected else None)


def test_a_phone_number_or_an_office_is_never_a_word_to_find_someone_by(people):
    carla = people["colleague"]
    assert list(find_people("0701234567", viewer=carla)) == []
    assert list(find_people("123", viewer=carla)) == []
    assert list(find_people("Göteborg", viewer=carla)) == []
    assert list(find_people("Bommen", viewer=carla)) == []
    for words in ("123 45 67", "Göteborg", "Lilla Bommen"):
        assert [h.document.title for h in search(carla, words).hits] == [], words
    # Anna is found by her name, so the index does hold her.
    assert "Anna Lindqvist" in [h.document.title for h in search(carla, "Lindqvist").hits]


# --- location -------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("seen_by", SEEN_BY)
def test_the_office_shows_and_is_found_as_set(people, office, api_as, seen_by, viewer):
    anna = people["self"]
    update_privacy(anna, location_seen_by=seen_by)
    expected = SEES[seen_by][viewer]
    client = signed_in(people[viewer])
    assert ("Lilla Bommen" in client.get("/people/anna/").content.decode()) is expected
    # The directory: the card's city, and the office filter.
    cards = client.get("/people/", {"q": "anna"}).content.decode()
    assert "Anna Lindqvist" in cards
    assert ("Göteborg" in cards) is expected
    by_office = client.get("/people/", {"office": office.pk}).content.decode()
    assert ("Anna Lindqvist" in by_office) is expected
    assert (anna in find_people(office=office, viewer=people[viewer])) is expected
    # The API: the profile, the directory entry and the office filter.
    api = api_as(people[viewer])
    assert (api.get("/people/anna").json()["office"] is not None) is expected
    listed = api.get("/people", params={"q": "anna"}).json()["items"]
    assert (listed[0]["office"] is not None) is expected
    filtered = api.get("/people", params={"office": office.pk}).json()["items"]
    assert ("anna" in [p["username"] for p in filtered]) is expected


def test_a_hidden_office_stays_out_of_a_contacts_card_and_who_knows(people, office, api_as):
    anna, bjorn, carla = people["self"], people["contact"], people["colleague"]
    update_privacy(anna, location_seen_by="only_me")
    tag_person(bjorn, anna, ["sourdough"])
    # Dag's profile lists Anna among his contacts: her card shows no city to Carla.
    assert "Göteborg" not in signed_in(carla).get("/people/dag/").content.decode()
    assert "Göteborg" in signed_in(anna).get("/people/dag/").content.decode()
    # Who knows: found by topic, but not by filtering on her office; no office shown.
    assert [e.person for e in find_experts(carla, "sourdough")] == [anna]
    assert find_experts(carla, "sourdough", office=office) == []
    # The results as the page updates them (the office filter's choices name every office).
    results = signed_in(carla).get("/experts/", {"q": "sourdough"}, HTTP_HX_REQUEST="true")
    assert "Anna Lindqvist" in results.content.decode()
    assert "Lilla Bommen" not in results.content.decode()
    experts = api_as(carla).get("/experts", params={"q": "sourdough"}).json()
    assert experts[0]["person"]["username"] == "anna"
    assert experts[0]["person"]["office"] is None


# --- contacts -------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("seen_by", SEEN_BY)
def test_the_contacts_show_on_the_profile_and_in_the_api_as_set(people, api_as, seen_by, viewer):
    anna = people["self"]
    update_privacy(anna, contacts_seen_by=seen_by)
    expected = SEES[seen_by][viewer]
    page = signed_in(people[viewer]).get("/people/anna/").content.decode()
    assert ("Dag Berg" in page) is expected
    assert ("keeps their contacts private" in page) is not expected
    api = api_as(people[viewer])
    profile = api.get("/people/anna").json()
    assert (profile["contact_count"] == 2) is expected
    assert (profile["contact_count"] is None) is not expected
    if viewer == "colleague":
        assert (profile["shared_contacts"] == [{"username": "dag", "name": "Dag Berg"}]) is (
            expected
        )
        assert (profile["path"] is not None) is expected
    contacts = api.get("/people/anna/contacts")
    assert contacts.status_code == (200 if expected else 403)
    if expected:
        assert {p["username"] for p in contacts.json()["items"]} == {"bjorn", "dag"}


def test_hidden_contacts_name_no_introducer_in_who_knows(people, make_person):
    anna, carla = people["self"], people["colleague"]
    tag_person(people["contact"], anna, ["sourdough"])
    [expert] = find_experts(carla, "sourdough")
    assert expert.path.kind == "shared" and expert.path.via == [Person.objects.get(name="Dag Berg")]
    update_privacy(anna, contacts_seen_by="contacts")
    [expert] = find_experts(carla, "sourdough")
    assert expert.path.kind == "private" and expert.path.via == []
    assert "keeps their contacts private" in expert.path.text


# --- who knows ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["contact", "colleague"])
def test_someone_who_says_no_to_who_knows_is_not_proposed_to_others(people, api_as, viewer):
    anna, other = people["self"], people[viewer]
    tag_person(people["contact"], anna, ["sourdough"])
    tag_person(anna, anna, ["sourdough"])
    assert [e.person for e in find_experts(other, "sourdough")] == [anna]
    update_privacy(anna, in_who_knows=False)
    assert find_experts(other, "sourdough") == []
    assert api_as(other).get("/experts", params={"q": "sourdough"}).json() == []
    page = signed_in(other).get("/experts/", {"q": "sourdough"}).content.decode()
    assert "Anna Lindqvist" not in page
    # Their own profile still shows what they know about (the tags on them).
    own = signed_in(anna).get("/people/anna/").content.decode()
    assert "sourdough" in own


def test_who_knows_leaves_out_those_who_said_no_with_profiles_built_too(people):
    from kollega.expertise import profiles

    anna, carla = people["self"], people["colleague"]
    tag_person(people["contact"], anna, ["sourdough"])
    tag_person(people["contact"], people["contact"], ["sourdough"])
    update_privacy(anna, in_who_knows=False)
    profiles.rebuild()
    assert [e.person.name for e in find_experts(carla, "sourdough")] == ["Bjørn Hansen"]


def test_a_question_is_not_routed_to_someone_who_said_no(people):
    from kollega.qa.services.asking import ask_question
    from kollega.qa.services.routing import suggest_answerers

    anna, carla = people["self"], people["colleague"]
    tag_person(people["contact"], anna, ["sourdough"])
    question = ask_question(carla, "How do I feed a sourdough starter?", "", tags=["sourdough"])
    assert [s.person for s in suggest_answerers(carla, question)] == [anna]
    update_privacy(anna, in_who_knows=False)
    assert suggest_answerers(carla, question) == []


# --- the settings themselves ----------------------------------------------------------------


def test_the_privacy_page_saves_the_settings(anna):
    client = signed_in(anna)
    page = client.get("/settings/privacy/")
    assert page.status_code == 200
    assert 'name="phone_seen_by"' in page.content.decode()
    answer = client.post(
        "/settings/privacy/",
        {
            "contacts_seen_by": "contacts",
            "phone_seen_by": "only_me",
            "location_seen_by": "everyone",
            "in_who_knows": "on",
        },
    )
    assert answer.status_code == 302
    assert services.privacy_of(_refresh(anna)) == {
        "contacts_seen_by": "contacts",
        "phone_seen_by": "only_me",
        "location_seen_by": "everyone",
        "in_who_knows": True,
        "in_recommendations": False,
    }


def test_the_privacy_page_refuses_a_bad_choice_and_keeps_the_settings(anna):
    answer = signed_in(anna).post(
        "/settings/privacy/",
        {"contacts_seen_by": "the-world", "phone_seen_by": "only_me", "location_seen_by": "x"},
    )
    assert answer.status_code == 400
    assert services.privacy_of(_refresh(anna))["phone_seen_by"] == "everyone"


def test_the_settings_pages_link_to_privacy(anna):
    client = signed_in(anna)
    for url in ("/me/edit/", "/settings/security/", "/settings/data/", "/people/anna/"):
        assert 'href="/settings/privacy/"' in client.get(url).content.decode(), url


def test_the_api_reads_and_replaces_the_settings(anna, api_as):
    api = api_as(anna)
    assert api.get("/me/privacy").json()["phone_seen_by"] == "everyone"
    wanted = {
        "contacts_seen_by": "only_me",
        "phone_seen_by": "contacts",
        "location_seen_by": "contacts",
        "in_who_knows": False,
        "in_recommendations": False,
    }
    answer = _put(api, wanted)
    assert answer.status_code == 200, answer.content
    assert answer.json() == wanted
    assert services.privacy_of(_refresh(anna)) == wanted


@pytest.mark.parametrize(
    "change",
    [
        {"phone_seen_by": "the-world"},
        {"in_who_knows": "maybe"},
        {"in_who_knows": 1},
        {"whatever": "everyone"},
        {"phone_seen_by": None},
    ],
)
def test_the_api_refuses_a_bad_value_and_changes_nothing(anna, api_as, change):
    api = api_as(anna)
    body = {**services.privacy_of(anna), "contacts_seen_by": "only_me", **change}
    answer = _put(api, body)
    assert answer.status_code == 400
    assert answer.json()["detail"]
    assert services.privacy_of(_refresh(anna))["contacts_seen_by"] == "everyone"


def test_a_missing_setting_is_refused(anna, api_as):
    answer = _put(api_as(anna), {"phone_seen_by": "only_me"})
    assert answer.status_code == 400
    assert services.privacy_of(_refresh(anna))["phone_seen_by"] == "everyone"


def test_the_service_refuses_bad_values_and_changes_nothing(anna):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        update_privacy(anna, phone_seen_by="only_me", location_seen_by="the-world")
    assert "location_seen_by" in error.value.message_dict
    with pytest.raises(ValidationError):
        update_privacy(anna, in_recommendations="no")
    assert services.privacy_of(_refresh(anna))["phone_seen_by"] == "everyone"


def test_the_openapi_document_says_hidden_fields_are_null(anna, api_as):
    document = api_as(anna).get("/openapi.json").json()
    profile = document["components"]["schemas"]["ProfileOut"]["properties"]
    assert "privacy" in profile["phone"]["description"]
    assert "privacy" in profile["office"]["description"]
    assert "/api/v1/me/privacy" in document["paths"]


def test_download_my_data_includes_the_privacy_settings(anna, tmp_path):
    import zipfile

    update_privacy(anna, phone_seen_by="only_me", in_recommendations=False)
    path = tmp_path / "anna.zip"
    with path.open("wb") as out:
        export_person(anna, out)
    with zipfile.ZipFile(path) as archive:
        profile = json.loads(archive.read("profile.json"))
        assert "phone_seen_by" in archive.read("README.txt").decode()
    assert profile["phone_seen_by"] == "only_me"
    assert profile["in_recommendations"] is False
    assert profile["contacts_seen_by"] == "everyone"
