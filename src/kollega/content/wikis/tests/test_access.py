"""The one way pages and the API reach a wiki, a page, a revision or an attachment: the
object, or NotFound for one the person may not read and for one that does not exist."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.content.wikis import attachments, services
from kollega.permissions import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(anna):
    """A restricted community of Anna's; Bjørn is not a member."""
    return communities.create_community(anna, "Secret club", kind=Community.Kind.RESTRICTED)


def test_visible_wiki_is_the_organisations_or_a_readable_communitys(anna, bjorn, secret):
    assert services.visible_wiki(bjorn).community is None
    assert services.visible_wiki(anna, secret.slug).community == secret
    with pytest.raises(NotFound):
        services.visible_wiki(bjorn, secret.slug)
    with pytest.raises(NotFound):
        services.visible_wiki(anna, "no-such-club")


def test_visible_page_by_slug_and_by_id(anna, bjorn, secret):
    open_page = services.create_page(anna, None, "Travel")
    hidden = services.create_page(anna, secret, "Plans")
    assert services.visible_page(bjorn, None, "travel") == open_page
    assert services.visible_page_by_id(bjorn, open_page.pk) == open_page
    assert services.visible_page(anna, secret, "plans") == hidden
    with pytest.raises(NotFound):
        services.visible_page(bjorn, secret, "plans")
    with pytest.raises(NotFound):
        services.visible_page_by_id(bjorn, hidden.pk)
    with pytest.raises(NotFound):
        services.visible_page(anna, None, "plans")  # another wiki's page
    with pytest.raises(NotFound):
        services.visible_page_by_id(anna, hidden.pk + 1000)


def test_visible_revision(anna, bjorn, secret):
    hidden = services.create_page(anna, secret, "Plans", "First.")
    assert services.visible_revision(anna, hidden, 1).body == "First."
    with pytest.raises(NotFound):
        services.visible_revision(bjorn, hidden, 1)
    with pytest.raises(NotFound):
        services.visible_revision(anna, hidden, 2)


def test_visible_attachment(anna, bjorn, secret):
    hidden = services.create_page(anna, secret, "Plans")
    other = services.create_page(anna, secret, "Other plans")
    out = io.BytesIO()
    Image.new("RGB", (4, 3)).save(out, "PNG")
    image = SimpleUploadedFile("chart.png", out.getvalue(), content_type="image/png")
    attachment = attachments.attach_image(anna, hidden, image)
    assert services.visible_attachment(anna, hidden, attachment.pk) == attachment
    with pytest.raises(NotFound):
        services.visible_attachment(bjorn, hidden, attachment.pk)
    with pytest.raises(NotFound):
        services.visible_attachment(anna, other, attachment.pk)  # not this page's
    with pytest.raises(NotFound):
        services.visible_attachment(anna, hidden, attachment.pk + 1000)


def test_editable_wiki_and_page_are_for_editors_and_refused_to_readers(anna, bjorn):
    club = communities.create_community(anna, "Open club")
    page = services.create_page(anna, club, "Rules")
    assert services.editable_wiki(anna, club.slug).community == club
    assert services.editable_page(anna, club, "rules") == page
    with pytest.raises(PermissionDenied, match="Only members"):
        services.editable_wiki(bjorn, club.slug)
    with pytest.raises(PermissionDenied, match="Only members"):
        services.editable_page(bjorn, club, "rules")
    with pytest.raises(NotFound):
        services.editable_page(anna, club, "no-such-page")
    with pytest.raises(NotFound):
        services.editable_wiki(anna, "no-such-club")
