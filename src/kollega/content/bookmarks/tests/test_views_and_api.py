import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kollega.content.bookmarks import services
from kollega.content.bookmarks.models import Bookmark
from kollega.content.bookmarks.tests.test_services import FIREFOX
from kollega.people.tests.factories import signed_in

pytestmark = pytest.mark.django_db


def test_the_bookmarklet_opens_the_save_form_filled_in(anna, bjorn):
    services.save_bookmark(bjorn, "https://wiki.example.com/travel", "Travel")
    a = signed_in(anna)
    page = a.get("/bookmarks/").content.decode()
    assert "javascript:(function(){location.href=" in page
    assert "http://testserver/bookmarks/save/?url=" in page
    form = a.get("/bookmarks/save/", {"url": "https://wiki.example.com/travel/", "title": "Trips"})
    html = form.content.decode()
    assert 'value="https://wiki.example.com/travel/"' in html and 'value="Trips"' in html
    assert "Colleagues who saved this page" in html and "Bjørn Hansen" in html
    saved = a.post(
        "/bookmarks/save/",
        {"url": "https://wiki.example.com/travel/", "title": "Trips", "audience": "organisation"},
    )
    bookmark = Bookmark.objects.get(person=anna)
    assert saved["Location"] == f"/bookmarks/{bookmark.pk}/"
    detail = a.get(saved["Location"]).content.decode()
    assert "saved by 2 colleagues" in detail and "Bjørn Hansen" in detail


def test_a_javascript_link_is_refused_on_the_form(anna):
    response = signed_in(anna).post(
        "/bookmarks/save/", {"url": "javascript:alert(1)", "title": "x", "audience": "private"}
    )
    assert response.status_code == 400
    assert "Only web pages (http:// or https://) can be saved" in response.content.decode()
    assert not Bookmark.objects.exists()


def test_import_and_export_pages(anna):
    a = signed_in(anna)
    upload = SimpleUploadedFile("bookmarks.html", FIREFOX.encode(), content_type="text/html")
    response = a.post("/bookmarks/import/", {"file": upload, "audience": "private"}, follow=True)
    page = response.content.decode()
    assert "Imported 2 links." in page and "lines 12" in page
    bad = SimpleUploadedFile("b.html", FIREFOX.replace("<A HREF", "<A XREF", 1).encode())
    refused = a.post("/bookmarks/import/", {"file": bad, "audience": "private"})
    assert refused.status_code == 400 and "Line 9:" in refused.content.decode()
    exported = a.get("/bookmarks/export/")
    assert exported["Content-Disposition"].startswith("attachment")
    assert b"<!DOCTYPE NETSCAPE-Bookmark-file-1>" in exported.content
    assert b"Expenses &amp; travel" in exported.content


def test_the_api_saves_counts_imports_and_exports(api_as, anna, bjorn, carla):
    a, b, c = api_as(anna), api_as(bjorn), api_as(carla)
    saved = a.post("/bookmarks", {"url": "https://example.org/page", "title": "Page"})
    assert saved.status_code == 201, saved.json()
    assert (
        b.post("/bookmarks", {"url": "http://example.org/page/", "title": "P"}).json()["saved_by"]
        == 2
    )
    c.post("/bookmarks", {"url": "https://example.org/page", "audience": "private"})
    who = a.get("/bookmarks/saved-by", {"url": "example.org/page"}).json()
    assert who["saved_by"] == 2 and [o["person"]["username"] for o in who["others"]] == ["bjorn"]
    refused = a.post("/bookmarks", {"url": "data:text/html,<script>", "title": "x"})
    assert refused.status_code == 400 and "data:" in refused.json()["detail"]
    theirs = b.get("/bookmarks", {"person": "anna"}).json()["items"]
    assert [i["title"] for i in theirs] == ["Page"]
    assert b.delete(f"/bookmarks/{saved.json()['id']}").status_code == 403
    bad = a.client.post(
        "/api/v1/bookmarks/import",
        {"file": SimpleUploadedFile("b.html", b"<html>nope</html>")},
    )
    assert bad.status_code == 400 and bad.json()["detail"].startswith("Line 1:")
    good = a.client.post(
        "/api/v1/bookmarks/import", {"file": SimpleUploadedFile("b.html", FIREFOX.encode())}
    )
    assert good.status_code == 201 and good.json() == {
        "saved": 2,
        "already_saved": 0,
        "skipped_lines": [12],
    }
    exported = a.get("/bookmarks/export")
    assert exported.status_code == 200 and b"Expenses &amp; travel" in exported.content
    assert a.delete(f"/bookmarks/{saved.json()['id']}").status_code == 204


def test_a_host_with_look_alike_letters_shows_its_punycode_beside_it(api_as, anna):
    lookalike = "https://\u0430pple.com/login"  # a Cyrillic а, not a Latin a
    bookmark = services.save_bookmark(anna, lookalike, "Apple sign-in")
    plain = services.save_bookmark(anna, "https://apple.com/", "The real one")
    a = signed_in(anna)
    for page in (f"/bookmarks/{bookmark.pk}/", "/bookmarks/"):
        html = a.get(page).content.decode()
        assert "(host: xn--pple-43d.com)" in html, page
        assert html.count("(host: ") == 1, page  # not beside the all-ASCII address
    found = {b["id"]: b for b in api_as(anna).get("/bookmarks").json()["items"]}
    assert found[bookmark.pk]["punycode_host"] == "xn--pple-43d.com"
    assert found[bookmark.pk]["url"] == lookalike
    assert found[plain.pk]["punycode_host"] == ""
