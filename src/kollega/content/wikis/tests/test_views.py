"""Wiki pages in the browser's words: what a colleague sees and can do."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kollega.communities import services as communities
from kollega.content.wikis import services
from kollega.content.wikis.models import Page
from kollega.people.tests.factories import signed_in

pytestmark = pytest.mark.django_db


def test_the_wiki_home_shows_the_page_tree(anna):
    top = services.create_page(anna, None, "Policies")
    services.create_page(anna, None, "Social media policy", parent=top)
    html = signed_in(anna).get("/wiki/").content.decode()
    assert 'class="depth-0"><a href="/wiki/p/policies/">Policies</a>' in html
    assert 'class="depth-1"><a href="/wiki/p/social-media-policy/">' in html


def test_a_missing_link_leads_to_a_new_page_with_its_title(anna):
    page = services.create_page(anna, None, "Travel", "See [[Expenses]].")
    c = signed_in(anna)
    html = c.get(page.get_absolute_url()).content.decode()
    assert f'href="/wiki/new/?parent={page.pk}&amp;title=Expenses"' in html
    form = c.get(f"/wiki/new/?parent={page.pk}&title=Expenses").content.decode()
    assert 'value="Expenses"' in form
    response = c.post(
        "/wiki/new/", {"title": "Expenses", "body": "Receipts.", "parent": str(page.pk)}
    )
    assert response.status_code == 302
    assert Page.objects.get(title="Expenses").parent == page
    html = c.get(page.get_absolute_url()).content.decode()
    assert '<a class="wiki-link" href="/wiki/p/expenses/">Expenses</a>' in html


def test_saving_over_a_newer_revision_shows_both_versions_and_keeps_my_text(anna, bjorn):
    page = services.create_page(anna, None, "Travel", "Book by train.")
    services.edit_page(anna, page, base_revision=1, body="Book by train. Second class.")
    mine = "Book by train.\nAsk your manager first."
    response = signed_in(bjorn).post(
        page.edit_url, {"title": "Travel", "body": mine, "base_revision": "1", "action": "save"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved this page while you were editing" in html
    assert '<pre class="wiki-theirs" id="their-version">Book by train. Second class.</pre>' in html
    assert "Ask your manager first.</textarea>" in html
    merged = signed_in(bjorn).post(
        page.edit_url, {"title": "Travel", "body": mine, "base_revision": "1", "action": "merge"}
    )
    assert 'name="base_revision" value="2"' in merged.content.decode()
    page.refresh_from_db()
    assert page.body == "Book by train. Second class."


def test_history_compares_and_restores(anna, bjorn):
    page = services.create_page(anna, None, "Travel", "Book by train.")
    services.edit_page(bjorn, page, base_revision=1, body="Fly <b>everywhere</b>.")
    c = signed_in(anna)
    html = c.get(page.history_url).content.decode()
    assert "Compare selected" in html and 'aria-label="Restore revision 1"' in html
    diff = c.get(page.diff_url, {"from": "1", "to": "2"}).content.decode()
    assert "Book by train.</del>" in diff
    assert "Fly &lt;b&gt;everywhere&lt;/b&gt;.</ins>" in diff
    response = c.post(page.revisions.get(number=1).restore_url)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.body == "Book by train." and page.current_revision.number == 3


def test_bad_input_in_the_form_is_shown_and_nothing_saved(anna):
    parent = services.create_page(anna, None, "Parent")
    child = services.create_page(anna, None, "Child", parent=parent)
    c = signed_in(anna)
    response = c.post(
        parent.edit_url,
        {"title": "Parent", "body": "", "parent": str(child.pk), "base_revision": "1"},
    )
    assert response.status_code == 400
    assert "A page cannot be placed under itself" in response.content.decode()
    response = c.post(child.edit_url, {"title": "parent", "body": "", "base_revision": "1"})
    assert "There is already a page called" in response.content.decode()
    response = c.post("/wiki/new/", {"title": "Big", "body": "x" * 600_000})
    assert response.status_code == 400 and "at most 500 KB" in response.content.decode()
    # A 5 MB body (a paste gone wrong) gets the same clear answer, not a bare 400.
    response = c.post(parent.edit_url, {"title": "Parent", "body": "x" * (5 * 1024 * 1024),
                                        "base_revision": "1"})  # fmt: skip
    assert response.status_code == 400 and "at most 500 KB" in response.content.decode()
    assert Page.objects.count() == 2 and parent.revisions.count() == 1


def test_an_image_is_shown_to_readers_and_a_fake_one_refused(anna, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = services.create_page(anna, None, "Logo")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    c = signed_in(anna)
    c.post(page.attach_url, {"image": SimpleUploadedFile("logo.png", out.getvalue())})
    attachment = page.attachments.get()
    response = c.get(attachment.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == out.getvalue()
    bad = c.post(
        page.attach_url, {"image": SimpleUploadedFile("x.png", b"GIF89a nope")}, follow=True
    )
    assert "That file is not an image" in bad.content.decode()
    assert page.attachments.count() == 1


def test_the_community_page_links_to_its_wiki(anna):
    community = communities.create_community(anna, "Comms", "", [], "open")
    html = signed_in(anna).get(community.get_absolute_url()).content.decode()
    assert f'<a href="/wiki/c/{community.slug}/">Wiki</a>' in html
    assert signed_in(anna).get(f"/wiki/c/{community.slug}/").status_code == 200


def test_watching_from_the_page(anna, bjorn):
    page = services.create_page(anna, None, "Travel")
    c = signed_in(bjorn)
    c.post(page.watch_url, {"action": "watch"})
    assert services.is_watching(bjorn, page)
    assert "Stop watching" in c.get(page.get_absolute_url()).content.decode()
    services.edit_page(anna, page, base_revision=1, body="New")
    html = c.get("/notifications/").content.decode()
    assert "Anna Lindqvist changed the wiki page “Travel”" in html


def test_after_a_conflict_i_may_save_my_text_over_theirs_and_theirs_stays_in_history(anna, bjorn):
    page = services.create_page(anna, None, "Travel", "Book by train.")
    services.edit_page(anna, page, base_revision=1, body="Fly.")
    form = {"title": "Travel", "body": "Walk.", "base_revision": "1"}
    c = signed_in(bjorn)
    assert c.post(page.edit_url, {**form, "action": "save"}).status_code == 409
    response = c.post(page.edit_url, {**form, "action": "overwrite", "theirs_revision": "2"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.body == "Walk." and page.revisions.get(number=2).body == "Fly."


def _attached_in_restricted_community(anna, bjorn):
    """A restricted community's page with an image: Anna is its member, Bjørn is not."""
    secret = communities.create_community(anna, "Secret", kind="restricted")
    page = services.create_page(anna, secret, "Plans")
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    upload = SimpleUploadedFile("plan.png", out.getvalue())
    signed_in(anna).post(page.attach_url, {"image": upload})
    return page.attachments.get(), out.getvalue()


@pytest.fixture
def stored_in_media_root(settings):
    """Files stored where the server keeps them (this test run's MEDIA_ROOT), then removed."""
    from pathlib import Path

    before = set(Path(settings.MEDIA_ROOT).rglob("*"))
    yield Path(settings.MEDIA_ROOT)
    for made in set(Path(settings.MEDIA_ROOT).rglob("*")) - before:
        if made.is_file():
            made.unlink()


def test_an_attachment_has_no_media_address_only_the_checked_one(anna, bjorn, stored_in_media_root):
    # In MEDIA_ROOT itself, where a /media/ route would look.
    attachment, content = _attached_in_restricted_community(anna, bjorn)
    assert attachment.image.name.startswith("wiki-attachments/")
    assert (stored_in_media_root / attachment.image.name).read_bytes() == content
    stored_address = "/media/" + attachment.image.name
    for person in (anna, bjorn):
        assert signed_in(person).get(stored_address).status_code == 404
    assert Client().get(stored_address).status_code in (302, 404)
    assert signed_in(bjorn).get(attachment.get_absolute_url()).status_code == 404
    member = signed_in(anna).get(attachment.get_absolute_url())
    assert member.status_code == 200 and b"".join(member.streaming_content) == content
    assert member["Cache-Control"] == "private, max-age=3600"
    assert member["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("X-Accel-Redirect", "/protected-media/{name}"),
        ("x-sendfile", "{root}/{name}"),
    ],
)
def test_a_web_server_in_front_may_send_the_file_once_kollega_has_checked(
    anna, bjorn, settings, tmp_path, header, expected
):
    settings.MEDIA_ROOT = tmp_path
    attachment, _content = _attached_in_restricted_community(anna, bjorn)
    settings.KOLLEGA_SENDFILE_HEADER = header.lower()
    member = signed_in(anna).get(attachment.get_absolute_url())
    sent = expected.format(name=attachment.image.name, root=tmp_path)
    assert member.status_code == 200 and member.content == b""
    assert member[header] == sent and member["Content-Type"] == "image/png"
    outsider = signed_in(bjorn).get(attachment.get_absolute_url())
    assert outsider.status_code == 404 and not outsider.has_header(header)
    settings.KOLLEGA_SENDFILE_PREFIX = "/internal/"
    accel = signed_in(anna).get(attachment.get_absolute_url())
    if header == "X-Accel-Redirect":
        assert accel[header] == f"/internal/{attachment.image.name}"


def test_an_attachment_whose_file_is_gone_answers_404(anna, bjorn, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment, _content = _attached_in_restricted_community(anna, bjorn)
    (tmp_path / attachment.image.name).unlink()
    assert signed_in(anna).get(attachment.get_absolute_url()).status_code == 404
