"""The security page: my signed-in sessions and my API tokens, each with a way to end it."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from kollega.accounts.models import SignedInSession
from kollega.api.models import ApiToken
from kollega.api.services import create_token
from kollega.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_from(username: str, address: str, browser: str) -> Client:
    """Signed in through the sign-in form, from `address` with `browser` (what the page lists)."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=browser)
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def main_part(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def api_status(key: str, method: str = "get", path: str = "/me", **body) -> int:
    client = Client(headers={"Authorization": f"Bearer {key}"})
    if method == "get":
        return client.get("/api/v1" + path).status_code
    return client.post("/api/v1" + path, body, content_type="application/json").status_code


def test_my_sessions_are_listed_with_browser_address_and_this_one_marked(anna, bjorn):
    laptop = signed_in_from("anna", "10.0.0.5", "Firefox on the laptop")
    signed_in_from("anna", "10.0.0.6", "Safari on the phone")
    signed_in_from("bjorn", "10.0.0.7", "Bjorn's browser")
    response = laptop.get("/settings/security/")
    assert response.status_code == 200
    page = main_part(response)
    assert "Firefox on the laptop" in page and "10.0.0.5" in page
    assert "Safari on the phone" in page and "10.0.0.6" in page
    assert "Bjorn" not in page
    assert page.count("This browser") == 1


def test_the_page_is_linked_from_my_profile_and_my_settings(anna):
    client = signed_in_from("anna", "10.0.0.5", "Firefox")
    assert 'href="/settings/security/"' in client.get("/people/anna/").content.decode()
    assert 'href="/settings/security/"' in client.get("/me/edit/").content.decode()


def test_last_seen_is_refreshed_at_most_once_a_minute(anna):
    client = signed_in_from("anna", "10.0.0.5", "Firefox")
    row = SignedInSession.objects.get()
    first_seen = row.last_seen_at
    client.get("/", REMOTE_ADDR="10.0.0.9")
    row.refresh_from_db()
    assert (row.last_seen_at, row.address) == (first_seen, "10.0.0.5")  # within the minute
    session = client.session
    session["kollega_session_seen"] -= 61
    session.save()
    client.get("/", REMOTE_ADDR="10.0.0.9")
    row.refresh_from_db()
    assert row.last_seen_at > first_seen and row.address == "10.0.0.9"


def test_sign_out_everywhere_else_ends_my_other_sessions_only(anna, bjorn):
    laptop = signed_in_from("anna", "10.0.0.5", "Firefox")
    phone = signed_in_from("anna", "10.0.0.6", "Safari")
    colleague = signed_in_from("bjorn", "10.0.0.7", "Chrome")
    response = laptop.post("/settings/security/sessions/sign-out-others/")
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302  # sent to the sign-in page
    assert colleague.get("/").status_code == 200
    assert list(SignedInSession.objects.values_list("address", flat=True).order_by("address")) == [
        "10.0.0.5",
        "10.0.0.7",
    ]


def test_signing_out_one_session(anna, bjorn):
    laptop = signed_in_from("anna", "10.0.0.5", "Firefox")
    phone = signed_in_from("anna", "10.0.0.6", "Safari")
    colleague = signed_in_from("bjorn", "10.0.0.7", "Chrome")
    phone_row = SignedInSession.objects.get(address="10.0.0.6")
    bjorn_row = SignedInSession.objects.get(address="10.0.0.7")
    assert laptop.post(f"/settings/security/sessions/{phone_row.pk}/sign-out/").status_code == 302
    assert phone.get("/").status_code == 302
    # Not someone else's session.
    assert laptop.post(f"/settings/security/sessions/{bjorn_row.pk}/sign-out/").status_code == 404
    assert colleague.get("/").status_code == 200


def test_signing_out_forgets_the_session(anna):
    client = signed_in_from("anna", "10.0.0.5", "Firefox")
    client.post("/logout/")
    assert SignedInSession.objects.count() == 0


def test_creating_a_token_shows_its_key_once_and_it_works(anna):
    client = signed_in_from("anna", "10.0.0.5", "Firefox")
    page = client.get("/settings/security/").content.decode()
    once = re.search(r'name="form_once" value="([^"]+)"', page).group(1)
    response = client.post(
        "/settings/security/tokens/",
        {"name": "report script", "expires_in": "30", "scope": "read-only", "form_once": once},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = re.search(r'value="(kol_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert (token.name, token.read_only, token.expires_at is not None) == (
        "report script",
        True,
        True,
    )
    assert api_status(key) == 200
    assert api_status(key, "post", "/posts", body="no") == 403
    later = main_part(client.get("/settings/security/"))
    assert key not in later and token.prefix in later and "report script" in later


def test_the_token_form_sent_twice_creates_one_token(anna):
    client = signed_in_from("anna", "10.0.0.5", "Firefox")
    form = {"name": "twice", "expires_in": "", "scope": "read-write", "form_once": "abc123"}
    first = client.post("/settings/security/tokens/", form, HTTP_REFERER="/settings/security/")
    second = client.post("/settings/security/tokens/", form, HTTP_REFERER="/settings/security/")
    assert first.status_code == 200
    assert second.status_code == 302 and second["Location"] == "/settings/security/"
    assert ApiToken.objects.count() == 1


def test_my_tokens_are_listed_with_where_they_were_last_used(anna, bjorn):
    token, key = create_token(anna, "laptop script")
    create_token(bjorn, "bjorns token")
    Client(headers={"Authorization": f"Bearer {key}"}, REMOTE_ADDR="10.1.2.3").get("/api/v1/me")
    page = main_part(signed_in_from("anna", "10.0.0.5", "Firefox").get("/settings/security/"))
    assert "laptop script" in page and "10.1.2.3" in page and token.prefix in page
    assert "bjorns token" not in page


def test_revoking_my_token_stops_it_and_not_someone_elses(anna, bjorn):
    token, key = create_token(anna, "old")
    other, other_key = create_token(bjorn, "bjorns")
    client = signed_in_from("anna", "10.0.0.5", "Firefox")
    assert client.post(f"/settings/security/tokens/{token.pk}/revoke/").status_code == 302
    assert api_status(key) == 401
    assert client.post(f"/settings/security/tokens/{other.pk}/revoke/").status_code == 404
    assert api_status(other_key) == 200


def test_an_expired_token_is_marked_expired(anna):
    token, _key = create_token(anna, "short", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at - timedelta(days=1))
    page = main_part(signed_in_from("anna", "10.0.0.5", "Firefox").get("/settings/security/"))
    assert "Expired" in page


def test_the_page_has_no_inline_script_and_every_control_is_a_real_button(anna):
    create_token(anna, "some token")
    page = main_part(signed_in_from("anna", "10.0.0.5", "Firefox").get("/settings/security/"))
    assert "<script" not in page
    assert not re.search(r"\son[a-z]+=", page)
    assert page.count('<button type="submit"') >= 3


def test_old_attempts_and_ended_sessions_are_tidied_away(anna):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from kollega.accounts.models import SignInAttempt
    from kollega.accounts.tasks import tidy_sign_in_records

    signed_in_from("anna", "10.0.0.5", "Firefox")
    ended = signed_in_from("anna", "10.0.0.6", "Safari")
    Session.objects.filter(session_key=ended.session.session_key).delete()
    Client().post("/login/", {"username": "anna", "password": "wrong"})
    SignInAttempt.objects.create(
        username="anna", at=timezone.now() - timedelta(days=91), outcome="failed"
    )
    assert tidy_sign_in_records.call() == 2
    assert list(SignedInSession.objects.values_list("address", flat=True)) == ["10.0.0.5"]
    assert SignInAttempt.objects.count() == 1
