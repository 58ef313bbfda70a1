"""Photos are answered by a view: to signed-in colleagues, never to someone signed out."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from kollega.api.services import create_token
from kollega.people.tests.factories import deactivate, signed_in

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 3), "green").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def anna_with_photo(anna, settings):
    """Anna's photo, stored where the server keeps photos (this run's MEDIA_ROOT)."""
    anna.photo.save("anna.png", ContentFile(_png()))
    stored = Path(settings.MEDIA_ROOT) / anna.photo.name
    yield anna
    stored.unlink()


def test_a_photo_is_shown_to_colleagues_and_not_to_someone_signed_out(anna_with_photo, bjorn):
    url = anna_with_photo.photo.url
    assert url.startswith("/media/photos/")
    seen = signed_in(bjorn).get(url)
    assert seen.status_code == 200 and seen["Content-Type"] == "image/png"
    assert b"".join(seen.streaming_content) == _png()
    assert seen["Cache-Control"].startswith("private")
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    # The profile page and the API point at that address.
    assert url in signed_in(bjorn).get("/people/anna/").content.decode()
    _token, key = create_token(bjorn, "tests")
    api = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/people/anna")
    assert api.json()["avatar_url"] == "http://testserver" + url


def test_only_a_colleagues_photo_is_reachable_there(anna_with_photo, bjorn, settings):
    stray = Path(settings.MEDIA_ROOT) / "photos" / "not-anyones.png"
    stray.write_bytes(_png())
    try:
        assert signed_in(bjorn).get("/media/photos/not-anyones.png").status_code == 404
    finally:
        stray.unlink()
    assert signed_in(bjorn).get("/media/photos/..%2Fkollega.sqlite3").status_code == 404
    assert signed_in(bjorn).get("/media/secret-key").status_code == 404
    # Someone who left: their photo goes with them.
    deactivate(anna_with_photo)
    assert signed_in(bjorn).get(anna_with_photo.photo.url).status_code == 404
