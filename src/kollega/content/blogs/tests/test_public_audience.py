"""The public audience on the write path: only a person with public pages, only Open
entries on their own blog; refused with a message and nothing saved otherwise."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from kollega.communities import services as communities
from kollega.content.blogs import services
from kollega.content.blogs.models import BlogEntry, EntryStatus
from kollega.guard.classification import Level
from kollega.people.models import Person
from kollega.people.services import set_public_pages
from kollega.people.tests.factories import signed_in
from kollega.posts.models import Audience, Post
from kollega.posts.services import post_on_board
from kollega.posts.stream import home_stream

pytestmark = pytest.mark.django_db

OPEN = Level.OPEN


@pytest.fixture
def leader(anna, settings):
    settings.KOLLEGA_PUBLIC_PAGES = True
    return set_public_pages(anna, True)


def test_a_leader_publishes_an_open_entry_for_the_public(leader, bjorn):
    entry = services.write_entry(
        leader, "Strategy", "Where we go.", audience="public", classification=OPEN, publish=True
    )
    entry.refresh_from_db()
    assert entry.audience == Audience.PUBLIC and entry.post.audience == Audience.PUBLIC
    assert entry.post.classification == OPEN
    # Colleagues see it like an organisation-wide entry.
    assert services.visible_entry(bjorn, entry.pk) == entry
    assert entry.post.pk in [p.pk for p in home_stream(bjorn).posts]


def test_someone_without_public_pages_may_not_write_for_the_public(bjorn, settings):
    settings.KOLLEGA_PUBLIC_PAGES = True
    with pytest.raises(ValidationError, match="public pages an administrator switched on"):
        services.write_entry(
            bjorn, "Hi world", "Text.", audience="public", classification=OPEN, publish=True
        )
    assert not BlogEntry.objects.exists() and not Post.objects.exists()


def test_nobody_writes_for_the_public_while_the_site_has_no_public_pages(leader, settings):
    settings.KOLLEGA_PUBLIC_PAGES = False
    with pytest.raises(ValidationError, match="public pages"):
        services.write_entry(leader, "Hi", "Text.", audience="public", classification=OPEN)
    assert not BlogEntry.objects.exists()


@pytest.mark.parametrize("level", [Level.INTERNAL, Level.CONFIDENTIAL, None])
def test_only_an_open_entry_may_be_public(leader, level):
    with pytest.raises(ValidationError, match="Only Open entries may be public"):
        services.write_entry(
            leader, "Hi", "Text.", audience="public", classification=level, publish=True
        )
    assert not BlogEntry.objects.exists() and not Post.objects.exists()


def test_a_community_blog_entry_is_never_public(leader):
    community = communities.create_community(leader, "Cellar club", "Wine.")
    entry = services.write_entry(leader, "Hi", "Text.", audience="public", community=community)
    assert entry.audience == Audience.COMMUNITY


def test_raising_a_public_entrys_classification_is_refused_and_nothing_changes(leader):
    entry = services.write_entry(
        leader, "Strategy", "Where we go.", audience="public", classification=OPEN, publish=True
    )
    with pytest.raises(ValidationError, match="Only Open entries"):
        services.edit_entry(
            leader, entry, title="Secret plan", body="x", classification=Level.CONFIDENTIAL
        )
    entry.refresh_from_db()
    assert (entry.title, entry.classification) == ("Strategy", OPEN)


def test_a_draft_for_the_public_is_not_published_once_public_pages_are_off(leader):
    entry = services.write_entry(leader, "Later", "Text.", audience="public", classification=OPEN)
    set_public_pages(Person.objects.get(pk=leader.pk), False)
    leader.refresh_from_db()
    with pytest.raises(ValidationError, match="public pages"):
        services.publish_entry(leader, entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and not Post.objects.exists()


def test_a_scheduled_public_entry_goes_back_to_draft_if_public_pages_were_closed(leader):
    now = timezone.now()
    entry = services.write_entry(
        leader,
        "Later",
        "Text.",
        audience="public",
        classification=OPEN,
        publish_at=now + timedelta(hours=1),
    )
    set_public_pages(leader, False)
    assert services.publish_due_entries(now + timedelta(hours=2)) == []
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and not Post.objects.exists()


def test_a_status_update_is_never_public(leader):
    with pytest.raises(ValidationError, match="Only a blog entry can be public"):
        post_on_board(leader, "Hello world", audience=Audience.PUBLIC)
    assert not Post.objects.exists()


def test_the_api_takes_the_public_audience_on_the_same_terms(api_as, leader, bjorn):
    body = {"title": "Strategy", "body": "Text.", "audience": "public", "publish": True}
    refused = api_as(leader).post("/blog-entries", body)
    assert refused.status_code == 400 and "Only Open entries" in refused.json()["detail"]
    created = api_as(leader).post("/blog-entries", {**body, "classification": "open"})
    assert created.status_code == 201 and created.json()["audience"] == "public"
    refused = api_as(bjorn).post("/blog-entries", {**body, "classification": "open"})
    assert refused.status_code == 400 and "public pages" in refused.json()["detail"]
    assert BlogEntry.objects.count() == 1
    posted = api_as(leader).post("/posts", {"body": "Hello", "audience": "public"})
    assert posted.status_code == 400
    assert Post.objects.count() == 1


def test_the_composer_offers_public_only_to_someone_with_public_pages(leader, bjorn):
    assert 'value="public"' in signed_in(leader).get("/blogs/write/").content.decode()
    assert 'value="public"' not in signed_in(bjorn).get("/blogs/write/").content.decode()
    assert 'value="public"' not in signed_in(leader).get("/").content.decode()  # status update


def test_the_operator_command_switches_public_pages(anna):
    out = io.StringIO()
    call_command("people", "public", "anna", "--on", stdout=out, stderr=io.StringIO())
    assert "on" in out.getvalue() and Person.objects.get(pk=anna.pk).public_pages
    call_command("people", "public", "ANNA", "--off", stdout=io.StringIO())
    assert not Person.objects.get(pk=anna.pk).public_pages
    with pytest.raises(CommandError, match="Nobody here is called"):
        call_command("people", "public", "nobody", "--on")


def test_the_author_and_colleagues_are_shown_the_public_address(leader, bjorn):
    entry = services.write_entry(
        leader, "Strategy", "Where we go.", audience="public", classification=OPEN, publish=True
    )
    internal = services.write_entry(leader, "Inside", "Only us.", publish=True)
    address = f"http://testserver/public/anna/blog/{entry.pk}/"
    assert address in signed_in(bjorn).get(f"/blogs/entries/{entry.pk}/").content.decode()
    page = signed_in(leader).get(f"/blogs/entries/{internal.pk}/").content.decode()
    assert "without signing in" not in page
    blog = signed_in(bjorn).get("/blogs/people/anna/").content.decode()
    assert 'href="/public/anna/blog/"' in blog
    assert "/public/" not in signed_in(leader).get("/blogs/people/bjorn/").content.decode()
