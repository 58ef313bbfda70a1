"""The one way pages and the API reach a bookmark or a community's links: the object, or
NotFound for one the person may not see and for one that does not exist."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.content.bookmarks import services
from kollega.permissions import NotFound

pytestmark = pytest.mark.django_db


def test_visible_bookmark_is_the_bookmark_for_who_may_see_it(anna, bjorn):
    shared = services.save_bookmark(anna, "https://example.org/shared", audience="organisation")
    private = services.save_bookmark(anna, "https://example.org/mine", audience="private")
    assert services.visible_bookmark(bjorn, shared.pk) == shared
    assert services.visible_bookmark(anna, private.pk) == private
    with pytest.raises(NotFound):
        services.visible_bookmark(bjorn, private.pk)
    with pytest.raises(NotFound):
        services.visible_bookmark(anna, private.pk + 1000)


def test_editable_bookmark_is_the_owners_and_refused_to_a_reader(anna, bjorn):
    shared = services.save_bookmark(anna, "https://example.org/shared", audience="organisation")
    private = services.save_bookmark(anna, "https://example.org/mine", audience="private")
    assert services.editable_bookmark(anna, shared.pk) == shared
    with pytest.raises(PermissionDenied, match="Only the person who saved"):
        services.editable_bookmark(bjorn, shared.pk)
    with pytest.raises(NotFound):
        services.editable_bookmark(bjorn, private.pk)
    with pytest.raises(NotFound):
        services.editable_bookmark(anna, private.pk + 1000)


def test_readable_community_is_one_whose_links_one_may_read(anna, bjorn):
    club = communities.create_community(anna, "Open club")
    secret = communities.create_community(anna, "Secret club", kind=Community.Kind.RESTRICTED)
    assert services.readable_community(bjorn, club.slug) == club
    assert services.readable_community(anna, secret.slug) == secret
    with pytest.raises(NotFound):
        services.readable_community(bjorn, secret.slug)
    with pytest.raises(NotFound):
        services.readable_community(bjorn, "no-such-club")


def test_a_community_to_share_with_that_one_cannot_see_asks_for_another(anna, bjorn):
    secret = communities.create_community(anna, "Secret club", kind=Community.Kind.RESTRICTED)
    assert services.community_to_share_with(anna, secret.slug) == secret
    for slug in (secret.slug, "no-such-club"):
        with pytest.raises(ValidationError, match="Choose the community"):
            services.community_to_share_with(bjorn, slug)
