"""'Download my data' and 'Delete my account': a person's own data out, or erased for good."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client

from kollega.api.services import create_token
from kollega.content.blogs.models import BlogEntry
from kollega.content.blogs.services import write_entry
from kollega.content.bookmarks.models import Bookmark, BookmarkAudience
from kollega.content.bookmarks.services import save_bookmark
from kollega.expertise.models import Profile, ProfileTerm
from kollega.expertise.profiles import refresh
from kollega.network.services import accept_invitation, send_invitation
from kollega.people.erasure import erase_person
from kollega.people.export import export_person
from kollega.people.models import Person
from kollega.people.tests.factories import PASSWORD, deactivate, make_person, signed_in
from kollega.posts.models import Audience
from kollega.posts.services import comment_on_post, post_on_board
from kollega.qa.services import answer_question, ask_question

pytestmark = pytest.mark.django_db


def contacts(a, b):
    accept_invitation(b, send_invitation(a, b))


def exported(person) -> dict:
    out = io.BytesIO()
    export_person(person, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {
            name: archive.read(name).decode() if not name.startswith("files/") else b""
            for name in archive.namelist()
        }


@pytest.fixture
def annika():
    return make_person("Annika Lindqvist", "annika", phone="+46 70 123 45 67")


def test_the_export_holds_my_items_and_not_a_colleagues_restricted_post(annika):
    bob, carol = make_person("Bob Berg", "bob"), make_person("Carol Dahl", "carol")
    contacts(annika, bob)
    contacts(bob, carol)
    secret = post_on_board(bob, "Our network-only plan: zebra migration", audience=Audience.NETWORK)
    comment_on_post(annika, secret, "Annika's own words on it")
    comment_on_post(carol, secret, "Carol's private reply")
    post_on_board(annika, "Annika's status update")
    write_entry(annika, "Half-written thoughts", "A draft body")
    save_bookmark(
        annika, "https://example.org/", "My private link", audience=BookmarkAudience.PRIVATE
    )
    create_token(annika, "my script")

    files = exported(annika)

    assert "README.txt" in files and "profile.json" in files
    profile = json.loads(files["profile.json"])
    assert profile["name"] == "Annika Lindqvist" and profile["phone"] == "+46 70 123 45 67"
    comments = json.loads(files["comments.json"])
    assert [c["body"] for c in comments] == ["Annika's own words on it"]
    assert comments[0]["post_id"] == secret.pk
    assert [p["body"] for p in json.loads(files["posts.json"])] == ["Annika's status update"]
    assert json.loads(files["blog_entries.json"])[0]["status"] == "draft"
    assert json.loads(files["bookmarks.json"])[0]["title"] == "My private link"
    assert json.loads(files["contacts.json"])[0]["contact"]["username"] == "bob"
    token = json.loads(files["api_tokens.json"])[0]
    assert token["name"] == "my script" and "key_hash" not in token
    everything = "".join(files.values())
    assert "zebra migration" not in everything
    assert "Carol's private reply" not in everything


def test_download_my_data_is_a_post_that_sends_a_zip(annika):
    client = signed_in(annika)
    assert b"download_my_data" not in client.get("/settings/data/").content  # a URL, not a name
    assert client.get("/settings/data/download/").status_code == 405
    response = client.post("/settings/data/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert "profile.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_the_administrator_exports_a_deactivated_person_from_the_command_line(annika, tmp_path):
    post_on_board(annika, "Written before leaving")
    deactivate(annika)
    target = tmp_path / "annika.zip"
    call_command("people", "export", "annika", str(target))
    with zipfile.ZipFile(target) as archive:
        posts = json.loads(archive.read("posts.json"))
    assert [p["body"] for p in posts] == ["Written before leaving"]


def test_after_erasure_the_name_is_gone_and_the_answer_stays_with_a_former_colleague(annika):
    bob = make_person("Bob Berg", "bob")
    question = ask_question(bob, "Where is the espresso machine manual?", tags=["coffee"])
    answer = answer_question(annika, question, "Top drawer in the kitchen, next to the filters")
    write_entry(annika, "Unfinished rant", "Draft text")
    save_bookmark(annika, "https://example.org/a", "Private one", audience=BookmarkAudience.PRIVATE)
    save_bookmark(annika, "https://example.org/b", "Shared one")
    refresh([annika.pk])

    erase_person(annika)

    viewer = signed_in(bob)
    page = viewer.get(f"/questions/{question.pk}/").content.decode()
    assert "Top drawer in the kitchen" in page
    assert "Former colleague" in page
    for path in (
        f"/questions/{question.pk}/",
        "/people/",
        "/people/?q=ann",
        "/search/?q=Lindqvist",
    ):
        assert "Annika" not in viewer.get(path).content.decode()
    assert "Annika" not in viewer.get("/api/v1/search", {"q": "Lindqvist"}).content.decode()
    api_answer = viewer.get(f"/api/v1/answers/{answer.pk}").json()
    assert api_answer["author"] == {
        "username": f"former-{annika.user_id}",
        "name": "Former colleague",
    }
    assert viewer.get("/people/annika/").status_code == 404
    answer.refresh_from_db()
    assert answer.author_id == annika.pk
    assert not Bookmark.objects.filter(person=annika, audience="private").exists()
    assert Bookmark.objects.filter(person=annika, title="Shared one").exists()
    assert not BlogEntry.objects.filter(author=annika).exists()
    assert not Profile.objects.filter(person=annika).exists()
    assert not ProfileTerm.objects.filter(person=annika).exists()
    erased = Person.objects.select_related("user").get(pk=annika.pk)
    assert erased.user.username == f"former-{annika.user_id}" and not erased.user.is_active
    assert erased.phone == "" and erased.user.email == ""
    assert Client().post("/login/", {"username": "annika", "password": PASSWORD}).status_code != 302


def test_the_user_name_of_an_erased_person_can_be_taken_by_a_new_colleague(annika):
    erase_person(annika)
    newcomer = make_person("Annika Svensson", "annika")
    assert newcomer.user.username == "annika" and newcomer.pk != annika.pk


def test_delete_my_account_needs_my_user_name_password_and_a_one_time_token(annika):
    client = signed_in(annika)
    page = client.get("/settings/data/delete/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    wrong = client.post(
        "/settings/data/delete/", {"form_token": token, "username": "annika", "password": "nope"}
    )
    assert wrong.status_code == 400
    assert Person.objects.get(pk=annika.pk).name == "Annika Lindqvist"
    # The token of the first page was used up by the failed attempt.
    reused = client.post(
        "/settings/data/delete/", {"form_token": token, "username": "annika", "password": PASSWORD}
    )
    assert reused.status_code == 400
    token = re.search(r'name="form_token" value="([^"]+)"', reused.content.decode()).group(1)
    done = client.post(
        "/settings/data/delete/", {"form_token": token, "username": "annika", "password": PASSWORD}
    )
    assert done.status_code == 302
    assert Person.objects.get(pk=annika.pk).name == "Former colleague"
    assert client.get("/settings/data/").status_code == 302  # signed out


def test_the_administrator_erases_from_the_command_line(annika):
    call_command("people", "erase", "annika", "--yes")
    assert Person.objects.select_related("user").get(pk=annika.pk).user.is_active is False


def test_erasure_forgets_contacts_tokens_sessions_and_notifications(annika):
    from kollega.accounts.models import SignedInSession
    from kollega.api.models import ApiToken
    from kollega.network.models import Contact, Invitation
    from kollega.notifications.models import Notification

    bob, carol = make_person("Bob Berg", "bob"), make_person("Carol Dahl", "carol")
    contacts(annika, bob)
    send_invitation(carol, annika)
    create_token(annika, "script")
    browser = Client()
    assert browser.post("/login/", {"username": "annika", "password": PASSWORD}).status_code == 302
    assert SignedInSession.objects.filter(person=annika).exists()

    erase_person(annika)

    assert not Contact.objects.filter(contact=annika).exists()
    assert not Invitation.objects.filter(recipient=annika).exists()
    assert not ApiToken.objects.filter(person=annika).exists()
    assert not Notification.objects.filter(recipient=annika).exists()
    assert not SignedInSession.objects.filter(person=annika).exists()
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    assert browser.get("/people/").status_code == 302  # signed out at once


def test_the_administrator_erases_from_the_admin_after_a_confirmation_page(annika):
    admin = make_person("Ada Admin", "ada")
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    client = signed_in(admin)
    choice = {"action": "erase_selected", "_selected_action": [annika.pk]}
    asked = client.post("/admin/people/person/", choice)
    assert asked.status_code == 200 and "Annika Lindqvist" in asked.content.decode()
    assert Person.objects.get(pk=annika.pk).name == "Annika Lindqvist"
    client.post("/admin/people/person/", {**choice, "confirmed": "yes"})
    assert Person.objects.get(pk=annika.pk).name == "Former colleague"
