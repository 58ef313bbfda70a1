"""The wiki API: pages, revisions, diffs, restoring, and 409 on crossed edits."""

import pytest

from kollega.communities import services as communities

pytestmark = pytest.mark.django_db


def test_pages_and_their_history_through_the_api(api_as, anna, bjorn):
    a, b = api_as(anna), api_as(bjorn)
    created = a.post("/wiki/pages", {"title": "Travel", "body": "Book by train. See [[Expenses]]."})
    assert created.status_code == 201, created.json()
    page = created.json()
    assert page["revision"] == 1 and page["community"] is None
    assert "missing" in page["body_html"]

    edited = b.patch(
        f"/wiki/pages/{page['id']}",
        {"base_revision": 1, "body": "Book by train or bus.", "summary": "bus"},
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["revision"] == 2 and edited.json()["last_author"]["username"] == "bjorn"

    listed = a.get("/wiki/pages").json()
    assert [p["title"] for p in listed["items"]] == ["Travel"]
    revisions = a.get(f"/wiki/pages/{page['id']}/revisions").json()["items"]
    assert [(r["number"], r["author"]["username"]) for r in revisions] == [
        (2, "bjorn"),
        (1, "anna"),
    ]
    assert (
        a.get(f"/wiki/pages/{page['id']}/revisions/1").json()["body"].startswith("Book by train.")
    )

    diff = a.get(f"/wiki/pages/{page['id']}/diff", {"from": 1, "to": 2}).json()
    assert (diff["added"], diff["removed"]) == (1, 1)
    assert [line["kind"] for line in diff["lines"]] == ["delete", "insert"]

    restored = a.post(f"/wiki/pages/{page['id']}/revisions/1/restore")
    assert restored.status_code == 201 and restored.json()["restored_from"] == 1
    assert a.get(f"/wiki/pages/{page['id']}").json()["body"].startswith("Book by train.")


def test_a_crossed_edit_answers_409_with_both_versions_and_a_merge(api_as, anna, bjorn):
    a, b = api_as(anna), api_as(bjorn)
    page = a.post("/wiki/pages", {"title": "Travel", "body": "one\ntwo\nthree"}).json()
    assert a.patch(f"/wiki/pages/{page['id']}", {"base_revision": 1, "body": "ONE\ntwo\nthree"})
    conflict = b.patch(f"/wiki/pages/{page['id']}", {"base_revision": 1, "body": "one\ntwo\nTHREE"})
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["current"]["number"] == 2 and body["current"]["body"] == "ONE\ntwo\nthree"
    assert body["yours"]["body"] == "one\ntwo\nTHREE"
    assert body["merged"] == {"body": "ONE\ntwo\nTHREE", "conflicts": 0}
    assert body["base_revision"]["number"] == 1
    assert a.get(f"/wiki/pages/{page['id']}").json()["revision"] == 2
    again = b.patch(
        f"/wiki/pages/{page['id']}", {"base_revision": 2, "body": body["merged"]["body"]}
    )
    assert again.status_code == 200 and again.json()["body"] == "ONE\ntwo\nTHREE"


def test_bad_input_answers_400_and_changes_nothing(api_as, anna):
    a = api_as(anna)
    parent = a.post("/wiki/pages", {"title": "Parent"}).json()
    child = a.post("/wiki/pages", {"title": "Child", "parent_id": parent["id"]}).json()
    loop = a.patch(f"/wiki/pages/{parent['id']}", {"base_revision": 1, "parent_id": child["id"]})
    assert loop.status_code == 400 and "under itself" in loop.json()["detail"]
    rename = a.patch(f"/wiki/pages/{child['id']}", {"base_revision": 1, "title": "parent"})
    assert rename.status_code == 400 and "already a page" in rename.json()["detail"]
    huge = a.patch(f"/wiki/pages/{child['id']}", {"base_revision": 1, "body": "x" * 1_000_000})
    assert huge.status_code == 400 and "500 KB" in huge.json()["detail"]
    empty = a.post("/wiki/pages", {"title": ""})
    assert empty.status_code == 400 and "needs a title" in empty.json()["detail"]
    assert a.get(f"/wiki/pages/{child['id']}").json()["revision"] == 1
    assert a.get("/wiki/pages").json()["count"] == 2


def test_a_restricted_communitys_pages_answer_404_to_outsiders(api_as, anna, bjorn):
    secret = communities.create_community(anna, "Board room", "", [], "restricted")
    a, b = api_as(anna), api_as(bjorn)
    page = a.post("/wiki/pages", {"title": "Budget", "community": secret.slug}).json()
    assert a.get("/wiki/pages", {"community": secret.slug}).json()["count"] == 1
    assert b.get("/wiki/pages", {"community": secret.slug}).status_code == 404
    for path in ("", "/revisions", "/revisions/1", "/diff?from=1&to=1"):
        assert b.get(f"/wiki/pages/{page['id']}{path}").status_code == 404
    assert b.post(f"/wiki/pages/{page['id']}/revisions/1/restore").status_code == 404


def test_the_openapi_document_lists_the_wiki_endpoints(api_as, anna):
    paths = api_as(anna).get("/openapi.json").json()["paths"]
    assert {"/api/v1/wiki/pages", "/api/v1/wiki/pages/{page_id}/diff"} <= set(paths)
    assert "409" in paths["/api/v1/wiki/pages/{page_id}"]["patch"]["responses"]
