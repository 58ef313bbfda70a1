"""SCIM 2.0 over real HTTP, with requests shaped as RFC 7643/7644's examples and as
Microsoft Entra ID and Okta send them."""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command

from kollega.audit.models import Action, Entry
from kollega.cli import operator_for
from kollega.people.models import Department, Person
from kollega.people.tests.factories import make_person
from kollega.provisioning.services.tokens import create_scim_token

pytestmark = pytest.mark.django_db(transaction=True)

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def scim(live_server):
    """A SCIM client with a token: scim(method, path, body) -> (status, JSON or None)."""
    _row, token = create_scim_token("Entra ID")

    def call(method, path, body=None, token=token, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(
            live_server.url + "/scim/v2" + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, json.loads(text) if text else None

    return call


def rfc_user(**changes) -> dict:
    """RFC 7643 §8.2's full User, trimmed to what a directory sends."""
    user = {
        "schemas": [CORE_USER, ENTERPRISE],
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {
            "formatted": "Ms. Barbara J Jensen, III",
            "familyName": "Jensen",
            "givenName": "Barbara",
        },  # fmt: skip
        "displayName": "Babs Jensen",
        "nickName": "Babs",
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True}],
        "phoneNumbers": [{"value": "555-555-5555", "type": "work"}],
        "addresses": [
            {
                "type": "work",
                "formatted": "Oslo office",
                "locality": "Oslo",
                "country": "NO",
                "primary": True,
            }
        ],  # fmt: skip
        "title": "Tour Guide",
        "userType": "Employee",
        "preferredLanguage": "nb-NO",
        "locale": "nb-NO",
        "timezone": "Europe/Oslo",
        "active": True,
        ENTERPRISE: {"employeeNumber": "701984", "department": "Tour Operations"},
    }
    user.update(changes)
    return user


def test_discovery_endpoints_describe_what_kollega_keeps(scim):
    status, config = scim("GET", "/ServiceProviderConfig")
    assert status == 200 and config["patch"]["supported"] and not config["bulk"]["supported"]
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    status, types = scim("GET", "/ResourceTypes")
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
    status, schema = scim("GET", f"/Schemas/{ENTERPRISE}")
    assert status == 200 and {a["name"] for a in schema["attributes"]} == {"department", "manager"}
    assert scim("GET", "/Schemas/urn:nothing")[0] == 404


def test_requests_without_a_valid_token_are_refused_and_change_nothing(scim, caplog):
    caplog.set_level(logging.WARNING, "kollega.provisioning")
    status, error = scim("POST", "/Users", rfc_user(), token="kscim_guessed")
    assert status == 401 and error["schemas"] == [ERROR]
    assert scim("GET", "/Users", token="")[0] == 401
    assert not Person.objects.exists()
    assert "without a valid token" in caplog.text


def test_rfc_user_is_created_found_by_filters_and_read_back(scim):
    status, created = scim("POST", "/Users", rfc_user())
    assert status == 201, created
    person = Person.objects.get(user__username="bjensen@example.com")
    assert created["id"] == str(person.pk) and created["externalId"] == "701984"
    assert person.name == "Babs Jensen" and person.title == "Tour Guide"
    assert person.department.name == "Tour Operations" and person.office.city == "Oslo"
    assert person.phone == "555-555-5555" and person.time_zone == "Europe/Oslo"
    assert person.language == "nb" and person.user.email == "bjensen@example.com"
    for query in (
        'userName eq "BJensen@example.com"',
        'externalId eq "701984"',
        'emails.value eq "bjensen@example.com"',
        'emails[type eq "work"].value eq "bjensen@example.com"',
        'displayName eq "Babs Jensen" and active eq true',
    ):
        status, found = scim("GET", "/Users?" + urllib.parse.urlencode({"filter": query}))
        assert status == 200 and found["totalResults"] == 1, query
        assert found["Resources"][0]["userName"] == "bjensen@example.com"
    status, found = scim("GET", "/Users?filter=" + urllib.parse.quote('userName eq "nobody"'))
    assert found["totalResults"] == 0 and found["Resources"] == []
    status, again = scim("POST", "/Users", rfc_user(externalId="other"))
    assert status == 409 and again["scimType"] == "uniqueness"


def test_list_pages_with_start_index_and_count(scim):
    for n in range(5):
        make_person(f"Paged {n}", username=f"paged{n}")
    status, page = scim("GET", "/Users?startIndex=2&count=2")
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
    assert [r["userName"] for r in page["Resources"]] == ["paged1", "paged2"]
    status, error = scim("GET", "/Users?count=many")
    assert status == 400 and error["scimType"] == "invalidValue"


def test_bad_filters_answer_invalid_filter(scim):
    for query in ('password eq "x"', "userName eq", 'userName xx "a"', '(userName eq "a"'):
        status, error = scim("GET", "/Users?" + urllib.parse.urlencode({"filter": query}))
        assert status == 400 and error["scimType"] == "invalidFilter", query


def test_entra_id_patches_with_capital_ops_and_string_booleans(scim):
    """Entra ID's provisioning service: "Replace"/"Add", "False" as a string, the
    manager as a bare id and enterprise attributes as paths."""
    boss = make_person("Kim Boss", username="kim")
    status, created = scim(
        "POST",
        "/Users",
        {
            "schemas": [CORE_USER, ENTERPRISE],
            "externalId": "anna",
            "userName": "anna@contoso.com",
            "active": True,
            "displayName": "Anna Lind",
            "emails": [{"primary": True, "type": "work", "value": "anna@contoso.com"}],
            "name": {"formatted": "Anna Lind", "familyName": "Lind", "givenName": "Anna"},
            ENTERPRISE: {"department": "Finance"},
        },
    )
    assert status == 201, created
    uid = created["id"]
    status, patched = scim(
        "PATCH",
        f"/Users/{uid}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "Replace", "path": "title", "value": "Controller"},
                {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(boss.pk)},
                {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Treasury"},
                {
                    "op": "Replace",
                    "path": 'emails[type eq "work"].value',
                    "value": "anna.lind@contoso.com",
                },  # fmt: skip
                {"op": "Add", "path": 'phoneNumbers[type eq "work"].value', "value": "+46 8 1"},
            ],
        },
    )
    assert status == 200, patched
    person = Person.objects.get(pk=uid)
    assert (person.title, person.manager, person.department.name, person.phone) == (
        "Controller", boss, "Treasury", "+46 8 1"
    )  # fmt: skip
    assert person.user.email == "anna.lind@contoso.com"
    status, patched = scim(
        "PATCH",
        f"/Users/{uid}",
        {"schemas": [PATCH_OP], "Operations": [
            {"op": "Add", "value": {f"{ENTERPRISE}:department": "Audit", "title": "Auditor"}}]},
    )  # fmt: skip
    assert status == 200 and patched[ENTERPRISE]["department"] == "Audit", patched
    assert patched["title"] == "Auditor"
    status, patched = scim(
        "PATCH",
        f"/Users/{uid}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        },  # fmt: skip
    )
    assert status == 200 and patched["active"] is False
    person.user.refresh_from_db()
    assert not person.user.is_active
    entry = Entry.objects.filter(action=Action.ACCOUNT_CHANGED, target_id=str(uid)).get()
    assert entry.actor_name == "SCIM client Entra ID"
    assert entry.detail == {"is_active": [True, False]}
    changed = Entry.objects.filter(action=Action.CHANGED, target_id=str(uid)).first()
    assert changed.actor_name == "SCIM client Entra ID" and changed.detail["via"] == "scim"
    assert "title" in changed.detail["fields"]


def test_okta_patches_without_a_path_and_renames_by_name_parts(scim):
    status, created = scim(
        "POST",
        "/Users",
        {
            "schemas": [CORE_USER],
            "userName": "ola@example.com",
            "name": {"givenName": "Ola", "familyName": "Nordmann"},
            "emails": [{"primary": True, "value": "ola@example.com", "type": "work"}],
            "displayName": "Ola Nordmann",
            "locale": "en-US",
            "externalId": "00u1",
            "groups": [],
            "password": "xxxx",
            "active": True,
        },
    )
    assert status == 201, created
    uid = created["id"]
    status, patched = scim(
        "PATCH",
        f"/Users/{uid}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "op": "replace",
                    "value": {"name": {"givenName": "Kari", "familyName": "Nordmann"}},
                }
            ],
        },  # fmt: skip
    )
    assert status == 200 and patched["displayName"] == "Kari Nordmann"
    status, patched = scim(
        "PATCH",
        f"/Users/{uid}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "name.givenName", "value": "Karin"}],
        },  # fmt: skip
    )
    assert status == 200 and patched["displayName"] == "Kari Nordmann"  # no family name to add
    status, patched = scim(
        "PATCH",
        f"/Users/{uid}",
        {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    assert patched["active"] is False
    status, again = scim(
        "PATCH",
        f"/Users/{uid}",
        {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": True}}]},
    )
    assert again["active"] is True
    status, put = scim("PUT", f"/Users/{uid}", {**created, "title": "Skipper", "active": True})
    assert status == 200 and put["title"] == "Skipper" and put["displayName"] == "Ola Nordmann"
    assert "emails" in put and put["externalId"] == "00u1"


def test_wrong_types_and_unknown_attributes_are_refused_and_nothing_is_saved(scim):
    status, created = scim("POST", "/Users", rfc_user())
    uid = created["id"]
    before = Person.objects.get(pk=uid)
    cases = [
        ("POST", "/Users", rfc_user(userName=42, externalId="x1")),
        ("POST", "/Users", rfc_user(userName="n1", externalId="x2", active="perhaps")),
        ("POST", "/Users", rfc_user(userName="n2", externalId="x3", favouriteColour="blue")),
        ("POST", "/Users", rfc_user(userName="n3", externalId="x4", emails="n3@example.com")),
        ("PUT", f"/Users/{uid}", rfc_user(title=["Guide"])),
        ("PUT", f"/Users/{uid}", rfc_user(timezone="Mars/Olympus")),
        ("POST", "/Users", rfc_user(userName="n5", externalId="x6", displayName="N" * 151)),
        ("POST", "/Users", rfc_user(userName="n6", externalId="x" * 256)),
        (
            "POST",
            "/Users",
            rfc_user(
                userName="n4",
                externalId="x5",
                timezone="Mars/Olympus",
                **{ENTERPRISE: {"department": "Ghost"}},
            ),
        ),  # fmt: skip
        (
            "PATCH",
            f"/Users/{uid}",
            {
                "schemas": [PATCH_OP],
                "Operations": [
                    {"op": "Replace", "path": "title", "value": 7},
                    {"op": "Replace", "path": "displayName", "value": "Lost"},
                ],
            },
        ),  # fmt: skip
        (
            "PATCH",
            f"/Users/{uid}",
            {"schemas": [PATCH_OP], "Operations": [{"op": "move", "path": "title"}]},
        ),  # fmt: skip
        (
            "PATCH",
            f"/Users/{uid}",
            {"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": "shoeSize", "value": 44}]},
        ),  # fmt: skip
    ]
    for method, path, body in cases:
        status, error = scim(method, path, body)
        assert status == 400 and error["schemas"] == [ERROR], (body, error)
        assert error["scimType"] == "invalidValue" and error["detail"], error
    status, error = scim("POST", "/Users", raw=b"{not json")
    assert status == 400 and error["scimType"] == "invalidSyntax"
    assert Person.objects.count() == 1
    assert not Department.objects.filter(name="Ghost").exists()  # made with it, undone with it
    after = Person.objects.get(pk=uid)
    assert (after.name, after.title, after.time_zone) == (before.name, before.title, "Europe/Oslo")


def test_manager_loop_is_refused(scim):
    _s, first = scim("POST", "/Users", rfc_user(userName="a1", externalId="a1"))
    _s, second = scim(
        "POST",
        "/Users",
        rfc_user(
            userName="a2", externalId="a2", **{ENTERPRISE: {"manager": {"value": first["id"]}}}
        ),  # fmt: skip
    )
    status, error = scim(
        "PATCH",
        f"/Users/{first['id']}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "add", "path": "manager", "value": {"value": second["id"]}}],
        },  # fmt: skip
    )
    assert status == 400 and "reports to them" in error["detail"]
    assert Person.objects.get(pk=first["id"]).manager is None


def test_delete_deactivates_and_keeps_the_person(scim):
    _s, created = scim("POST", "/Users", rfc_user())
    status, _body = scim("DELETE", f"/Users/{created['id']}")
    assert status == 204
    person = Person.objects.get(pk=created["id"])
    assert not person.user.is_active and person.name == "Babs Jensen"
    assert scim("GET", "/Users/999999")[0] == 404


def test_groups_are_departments_with_members(scim):
    _s, anna = scim("POST", "/Users", rfc_user(userName="anna", externalId="e-anna"))
    _s, bo = scim("POST", "/Users", rfc_user(userName="bo", externalId="e-bo"))
    status, group = scim(
        "POST",
        "/Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Sales",
            "externalId": "g-sales",
            "members": [{"value": anna["id"]}],
        },  # fmt: skip
    )
    assert status == 201, group
    department = Department.objects.get(pk=group["id"])
    assert [p.pk for p in department.people.all()] == [int(anna["id"])]
    status, patched = scim(
        "PATCH",
        f"/Groups/{group['id']}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": bo["id"]}]},
                {"op": "Remove", "path": f'members[value eq "{anna["id"]}"]'},
                {"op": "Replace", "path": "displayName", "value": "Sales Nordic"},
            ],
        },  # fmt: skip
    )
    assert status == 200, patched
    assert [m["value"] for m in patched["members"]] == [bo["id"]]
    assert Person.objects.get(pk=anna["id"]).department is None
    query = urllib.parse.urlencode(
        {"filter": 'displayName eq "Sales Nordic"', "excludedAttributes": "members"}
    )
    status, found = scim("GET", "/Groups?" + query)
    assert found["totalResults"] == 1 and "members" not in found["Resources"][0]
    status, error = scim("POST", "/Groups", {"displayName": "X", "members": [{"value": "404404"}]})
    assert status == 400 and error["scimType"] == "invalidValue"
    assert scim("DELETE", f"/Groups/{group['id']}")[0] == 204
    assert Person.objects.get(pk=bo["id"]).department is None


def test_token_command_makes_a_token_that_works_and_revoke_stops_it(scim, capsys):
    with operator_for(["kollega", "scim"]):
        call_command("scim", "token", "create", "Okta")
    token = capsys.readouterr().out.strip()
    assert token.startswith("kscim_")
    assert scim("GET", "/Users", token=token)[0] == 200
    entry = Entry.objects.filter(action=Action.TOKEN_CREATED).first()
    assert entry.actor_name.startswith("operator ") and entry.detail == {"name": "Okta"}
    call_command("scim", "token", "revoke", "Okta")
    assert scim("GET", "/Users", token=token)[0] == 401
