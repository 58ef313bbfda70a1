"""The administrator's page: filters, bad input, export; nobody else sees it."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model

from kollega.audit.models import Action, Entry
from kollega.audit.services import record
from kollega.people.tests.factories import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_person):
    person = make_person("Ada Admin", "ada")
    get_user_model().objects.filter(pk=person.user_id).update(is_staff=True)
    person.user.refresh_from_db()
    return person


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_only_staff_see_the_trail_and_others_get_not_found(anna, admin):
    assert signed_in(anna).get("/audit/").status_code == 404
    assert signed_in(anna).get("/audit/export.csv").status_code == 404
    assert signed_in(admin).get("/audit/").status_code == 200


def test_the_link_is_in_the_navigation_for_staff_only(anna, admin):
    assert 'href="/audit/"' in signed_in(admin).get("/").content.decode()
    assert 'href="/audit/"' not in signed_in(anna).get("/").content.decode()


def test_entries_are_listed_newest_first_and_filtered_by_person_and_action(admin, anna, bjorn):
    record(Action.SIGN_IN, actor=anna)
    record(Action.SIGN_IN, actor=bjorn)
    record(Action.SIGN_OUT, actor=anna)
    client = signed_in(admin)
    html = client.get("/audit/", {"person": "anna"}).content.decode()
    assert html.index("<td>signed out</td>") < html.index("<td>signed in</td>")
    assert "Bjørn Hansen" not in html
    html = client.get("/audit/", {"action": "sign_in"}).content.decode()
    assert "Bjørn Hansen" in html and "<td>signed out</td>" not in html


def test_filter_by_item_and_period(admin, anna):
    record(Action.OPENED, actor=anna, target=("post", 7, "Plan"))
    record(Action.OPENED, actor=anna, target=("post", 8, "Other"))
    client = signed_in(admin)
    html = client.get("/audit/", {"kind": "post", "item": "7"}).content.decode()
    assert "Plan" in html and "Other" not in html
    today = Entry.objects.first().at.date()
    assert "Plan" in client.get("/audit/", {"since": today, "until": today}).content.decode()
    html = client.get("/audit/", {"until": "2001-01-01"}).content.decode()
    assert "No entries match." in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "31/12/2026"}, "Enter a date as YYYY-MM-DD"),
        ({"until": "2026-02-30"}, "Enter a date as YYYY-MM-DD"),
        ({"since": "2026-05-01", "until": "2026-04-01"}, "before its start"),
        ({"person": "nobody"}, "Nobody here has the user name nobody"),
        ({"action": "hacked"}, "Select a valid choice"),
        ({"kind": "x" * 500}, "Select a valid choice"),
        ({"item": "9" * 100}, "at most 64 characters"),
    ],
)
def test_bad_filters_answer_with_a_clear_message_and_no_entries(admin, params, message):
    record(Action.SIGN_IN, actor=admin)
    response = signed_in(admin).get("/audit/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Ada Admin</td>" not in response.content.decode()
    assert signed_in(admin).get("/audit/export.csv", params).status_code == 400


def test_a_huge_period_is_no_trouble(admin):
    record(Action.SIGN_IN, actor=admin)
    client = signed_in(admin)
    response = client.get("/audit/", {"since": "0001-01-01", "until": "9999-12-31"})
    assert response.status_code == 200
    assert "Ada Admin</td>" in response.content.decode()
    response = client.get("/audit/export.json", {"since": "0001-01-02", "until": "9999-12-30"})
    assert len(json.loads(_body(response))) == Entry.objects.count()


def test_csv_export_is_streamed_and_holds_the_filtered_entries(admin, anna):
    record(Action.SIGN_IN, actor=anna)
    record(Action.SIGN_IN, actor=admin)
    response = signed_in(admin).get("/audit/export.csv", {"person": "anna"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert [(r["actor_name"], r["action"]) for r in rows] == [("Anna Lindqvist", "sign_in")]
    assert len(rows[0]["hash"]) == 64


def test_a_cell_a_spreadsheet_would_run_is_quoted(admin):
    record(Action.SIGN_IN_FAILED, target=("account", "", '=HYPERLINK("http://x")'))
    rows = list(csv.DictReader(io.StringIO(_body(signed_in(admin).get("/audit/export.csv")))))
    assert rows[-1]["target_label"].startswith("'=")


def test_json_export_lists_the_entries_newest_first(admin, anna):
    record(Action.SIGN_IN, actor=anna)
    record(Action.SIGN_OUT, actor=anna)
    response = signed_in(admin).get("/audit/export.json", {"person": "anna"})
    assert response.streaming
    entries = json.loads(_body(response))
    assert [e["action"] for e in entries] == ["sign_out", "sign_in"]
    assert entries[0]["sequence"] > entries[1]["sequence"]


def test_the_page_is_paginated(admin):
    for _ in range(55):
        record(Action.SIGN_IN, actor=admin)
    client = signed_in(admin)
    html = client.get("/audit/", {"action": "sign_in"}).content.decode()
    assert html.count('<tr id="entry-') == 50
    assert "action=sign_in&amp;page=2" in html
    html = client.get("/audit/", {"action": "sign_in", "page": "2"}).content.decode()
    assert html.count('<tr id="entry-') >= 5


def test_the_page_speaks_swedish(admin, anna):
    record(Action.OPENED, actor=anna, target=("wiki_page", 7, "Onboarding"))
    client = signed_in(admin)
    client.cookies["django_language"] = "sv"
    html = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Granskningslogg" in html
    # Item kinds are named in Swedish, in the list and in the filter.
    assert "wikisida 7: Onboarding" in html
    assert '<option value="wiki_page">wikisida</option>' in html
    assert "wiki page" not in html and "wiki_page 7" not in html
