"""The one way pages, the API and the feeds reach an entry or a blog: the object, or NotFound."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.content.blogs import services
from kollega.permissions import NotFound

pytestmark = pytest.mark.django_db


def test_visible_entry_is_the_entry_for_who_may_see_it_and_not_found_otherwise(anna, bjorn):
    published = services.write_entry(anna, "Out now", "Text.", publish=True)
    draft = services.write_entry(anna, "Not yet", "Text.")
    assert services.visible_entry(bjorn, published.pk) == published
    assert services.visible_entry(anna, draft.pk) == draft
    with pytest.raises(NotFound):
        services.visible_entry(bjorn, draft.pk)
    with pytest.raises(NotFound):
        services.visible_entry(anna, draft.pk + 1000)


def test_editable_entry_is_the_authors_and_refused_to_a_reader(anna, bjorn):
    entry = services.write_entry(anna, "Out now", "Text.", publish=True)
    assert services.editable_entry(anna, entry.pk) == entry
    with pytest.raises(PermissionDenied, match="Only the author"):
        services.editable_entry(bjorn, entry.pk)
    with pytest.raises(NotFound):
        services.editable_entry(anna, entry.pk + 1000)


def test_readable_blog_is_a_community_one_may_read_and_not_found_otherwise(anna, bjorn):
    open_club = communities.create_community(anna, "Open club")
    secret = communities.create_community(anna, "Secret club", kind=Community.Kind.RESTRICTED)
    assert services.readable_blog(bjorn, open_club.slug) == open_club
    with pytest.raises(NotFound):
        services.readable_blog(bjorn, secret.slug)
    with pytest.raises(NotFound):
        services.readable_blog(bjorn, "no-such-club")


def test_writable_blog_is_ones_own_or_a_community_one_is_a_member_of(anna, bjorn):
    club = communities.create_community(anna, "Open club")
    assert services.writable_blog(bjorn) is None
    assert services.writable_blog(anna, club.slug) == club
    with pytest.raises(PermissionDenied, match="Only members"):
        services.writable_blog(bjorn, club.slug)
    with pytest.raises(NotFound):
        services.writable_blog(bjorn, "no-such-club")


def test_my_drafts_are_mine_on_every_blog_last_changed_first(anna, bjorn):
    club = communities.create_community(anna, "Open club")
    now = timezone.now()
    older = services.write_entry(anna, "Older draft", "Text.", now=now - timedelta(hours=2))
    newer = services.write_entry(
        anna, "Newer draft", "Text.", community=club, now=now - timedelta(hours=1)
    )
    services.write_entry(anna, "Published", "Text.", publish=True)
    services.write_entry(bjorn, "Someone else's", "Text.")
    assert list(services.my_drafts(anna)) == [newer, older]
    services.edit_entry(anna, older, title="Older draft, changed", body="Text.", now=now)
    assert list(services.my_drafts(anna)) == [older, newer]


def test_the_blogs_page_and_the_api_list_my_drafts_in_the_same_order(anna, api_as):
    now = timezone.now()
    older = services.write_entry(anna, "Older draft", "Text.", now=now - timedelta(hours=2))
    newer = services.write_entry(anna, "Newer draft", "Text.", now=now - timedelta(hours=1))
    services.edit_entry(anna, older, title="Older draft, changed", body="Text.", now=now)
    client = Client()
    client.force_login(anna.user)
    html = client.get("/blogs/").content.decode()
    assert html.index("Older draft, changed") < html.index("Newer draft")
    items = api_as(anna).get("/blog-entries/drafts").json()["items"]
    assert [e["id"] for e in items] == [older.pk, newer.pk]
