"""A leader's public pages, read over HTTP by a visitor who has not signed in.

Only a person whose public pages an administrator switched on, on a site that allows
them (KOLLEGA_PUBLIC_PAGES), and only their published Open entries for the public:
everything else answers a visitor with the sign-in page or a 404.
"""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from kollega.content.blogs import services as blogs
from kollega.guard.classification import Level
from kollega.people.services import set_public_pages, update_profile
from kollega.people.tests.factories import deactivate, make_department, signed_in
from kollega.posts.services import comment_on_post

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def site_public(settings):
    settings.KOLLEGA_PUBLIC_PAGES = True
    return settings


@pytest.fixture
def leader(make_person, site_public):
    person = make_person(
        "Lena Ledare",
        username="lena",
        title="Chief executive",
        department=make_department("Management"),
        about="I lead the company and write about where we are going.",
        phone="+46 70 123 45 67",
    )
    return set_public_pages(person, True)


def public_entry(author, title="Where we are going", body="Our plans for next year."):
    return blogs.write_entry(
        author, title, body, audience="public", classification=Level.OPEN, publish=True
    )


@pytest.fixture
def visitor():
    return Client()


def sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_visitor_reads_the_public_profile_but_no_contacts(visitor, leader):
    response = visitor.get("/public/lena/")
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("Lena Ledare", "Chief executive", "Management", "where we are going"):
        assert shown in page
    for hidden in ("+46 70 123 45 67", "lena@example.org", "/people/lena/"):
        assert hidden not in page


def test_the_public_blog_lists_only_published_open_entries_for_the_public(visitor, leader):
    shown = public_entry(leader, "Our strategy")
    blogs.write_entry(leader, "For colleagues only", "Internal news.", publish=True)
    blogs.write_entry(leader, "Not yet", "A draft.", audience="public", classification=Level.OPEN)
    page = visitor.get("/public/lena/blog/").content.decode()
    assert "Our strategy" in page and f"/public/lena/blog/{shown.pk}/" in page
    assert "For colleagues only" not in page and "Not yet" not in page


def test_an_entry_shows_its_text_but_not_the_colleagues_comments(visitor, leader, bjorn):
    entry = public_entry(leader, "Our strategy", "We grow in the north. #strategy")
    comment_on_post(bjorn, entry.post, "Great, count me in!")
    response = visitor.get(f"/public/lena/blog/{entry.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "We grow in the north." in page
    assert "count me in" not in page and bjorn.name not in page
    assert "/tags/" not in page  # no links into the intranet


def test_a_visitor_is_refused_whatever_is_not_public(visitor, leader, anna):
    internal = blogs.write_entry(leader, "Internal", "For colleagues.", publish=True)
    draft = blogs.write_entry(leader, "Draft", "Soon.", audience="public", classification=0)
    others = blogs.write_entry(anna, "Anna's", "Mine.", publish=True)
    for path in (
        "/public/anna/",  # no public pages
        "/public/anna/blog/",
        "/public/anna/blog/feed/",
        "/public/nobody/",
        f"/public/lena/blog/{internal.pk}/",
        f"/public/lena/blog/{draft.pk}/",
        f"/public/lena/blog/{others.pk}/",
        f"/public/anna/blog/{others.pk}/",
    ):
        assert visitor.get(path).status_code == 404, path


def test_everything_else_still_needs_sign_in(visitor, leader):
    entry = public_entry(leader)
    for path in ("/", "/people/lena/", f"/blogs/entries/{entry.pk}/", "/blogs/people/lena/"):
        assert sent_to_sign_in(visitor.get(path)), path
    assert visitor.get("/blogs/people/lena/feed/").status_code == 401
    assert visitor.get(f"/api/v1/blog-entries/{entry.pk}").status_code == 401


def test_an_entry_classified_above_open_leaves_the_public_pages(visitor, leader):
    entry = public_entry(leader)
    assert visitor.get(f"/public/lena/blog/{entry.pk}/").status_code == 200
    # However it got there (an import, the other engineer's reclassification), the read
    # rule checks the level itself.
    type(entry).objects.filter(pk=entry.pk).update(classification=Level.INTERNAL)
    assert visitor.get(f"/public/lena/blog/{entry.pk}/").status_code == 404


def test_a_deactivated_leader_has_no_public_pages(visitor, leader):
    entry = public_entry(leader)
    deactivate(leader)
    for path in ("/public/lena/", "/public/lena/blog/", "/public/lena/blog/feed/"):
        assert visitor.get(path).status_code == 404, path
    assert visitor.get(f"/public/lena/blog/{entry.pk}/").status_code == 404


def test_the_administrator_closes_a_persons_public_pages(visitor, leader):
    entry = public_entry(leader)
    call_command("people", "public", "lena", "--off", stdout=io.StringIO())
    for path in ("/public/lena/", "/public/lena/blog/", f"/public/lena/blog/{entry.pk}/"):
        assert visitor.get(path).status_code == 404, path
    call_command("people", "public", "lena", "--on", stdout=io.StringIO())
    assert visitor.get(f"/public/lena/blog/{entry.pk}/").status_code == 200


def test_switching_the_setting_off_closes_every_public_path_at_once(visitor, leader, settings):
    update_profile(leader, photo=SimpleUploadedFile("lena.png", PNG, content_type="image/png"))
    entry = public_entry(leader)
    paths = [
        "/public/lena/",
        "/public/lena/photo/",
        "/public/lena/blog/",
        "/public/lena/blog/feed/",
        f"/public/lena/blog/{entry.pk}/",
    ]
    assert all(visitor.get(p).status_code == 200 for p in paths)
    settings.KOLLEGA_PUBLIC_PAGES = False
    for path in paths:
        assert sent_to_sign_in(visitor.get(path)), path
    colleague = signed_in(leader)
    assert all(colleague.get(p).status_code == 404 for p in paths)


def test_public_pages_may_be_cached_briefly_and_set_no_cookie(visitor, leader):
    entry = public_entry(leader)
    for path in ("/public/lena/", f"/public/lena/blog/{entry.pk}/", "/public/lena/blog/feed/"):
        response = visitor.get(path)
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
        assert "Set-Cookie" not in str(response.serialize_headers())


def test_a_colleagues_answer_is_never_left_in_a_shared_cache(leader, anna):
    response = signed_in(anna).get("/public/lena/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_photo_is_served_only_while_the_public_pages_are_on(visitor, leader):
    update_profile(leader, photo=SimpleUploadedFile("lena.png", PNG, content_type="image/png"))
    page = visitor.get("/public/lena/").content.decode()
    assert 'src="/public/lena/photo/"' in page
    response = visitor.get("/public/lena/photo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert sent_to_sign_in(visitor.get(leader.photo.url))  # the intranet's address stays shut
    set_public_pages(leader, False)
    assert visitor.get("/public/lena/photo/").status_code == 404


def test_the_atom_feed_is_valid_xml_with_absolute_links_to_public_pages(visitor, leader, anna):
    first = public_entry(leader, "First", "Hello @anna, see #strategy.")
    second = public_entry(leader, "Second", "More.")
    blogs.write_entry(leader, "Internal", "Colleagues only.", publish=True)
    response = visitor.get("/public/lena/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links == [
        f"http://testserver/public/lena/blog/{second.pk}/",
        f"http://testserver/public/lena/blog/{first.pk}/",
    ]
    assert b"Colleagues only" not in response.content
    assert b"/people/" not in response.content and b"/tags/" not in response.content
    page = visitor.get(links[0].removeprefix("http://testserver")).content.decode()
    assert "Second" in page


@pytest.mark.parametrize(
    "language, words", [("sv", "Senaste blogginläggen"), ("nb", "Nyeste blogginnlegg")]
)
def test_a_visitor_reads_the_public_pages_in_their_language(visitor, leader, language, words):
    page = visitor.get("/public/lena/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in page


def test_the_administrator_finds_the_switch_in_the_admin_site(admin_client, leader):
    page = admin_client.get(f"/admin/people/person/{leader.pk}/change/").content.decode()
    checkbox = page.split('name="public_pages"')[1].split(">")[0]
    assert "checked" in checkbox
    listed = admin_client.get("/admin/people/person/?public_pages__exact=1").content.decode()
    assert "Lena Ledare" in listed
