"""Tokens that expire and tokens that only read, through real requests and the command."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kollega.api.models import ApiToken
from kollega.api.services import create_token
from kollega.api.tests.conftest import ApiClient
from kollega.posts.models import Post

pytestmark = pytest.mark.django_db


def test_an_expired_token_gets_401_and_creates_nothing(anna):
    token, key = create_token(anna, "for a week", expires_in_days=7)
    client = ApiClient(key)
    assert client.get("/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.post("/posts", {"body": "too late"}).status_code == 401
    assert Post.objects.count() == 0


def test_a_token_before_its_expiry_works(anna):
    token, key = create_token(anna, "for a day", expires_in_days=1)
    assert timedelta(hours=23) < token.expires_at - timezone.now() <= timedelta(days=1)
    assert ApiClient(key).post("/posts", {"body": "in time"}).status_code == 201


def test_a_read_only_token_reads_but_every_write_is_403_with_a_reason(anna, bjorn):
    _token, key = create_token(anna, "dashboard", read_only=True)
    client = ApiClient(key)
    assert client.get("/me").status_code == 200
    assert client.get("/stream").status_code == 200
    response = client.post("/posts", {"body": "Should not appear"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert Post.objects.count() == 0
    assert client.patch("/me", {"title": "Boss"}).status_code == 403
    assert client.post("/people/bjorn/follow").status_code == 403
    anna.refresh_from_db()
    assert anna.title != "Boss"


def test_a_read_write_token_still_writes(anna):
    _token, key = create_token(anna, "scripts")
    assert ApiClient(key).post("/posts", {"body": "Allowed"}).status_code == 201


def test_the_token_remembers_when_and_from_where_it_was_last_used(anna):
    token, key = create_token(anna, "laptop")
    assert ApiClient(key, REMOTE_ADDR="10.20.30.40").get("/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_from == "10.20.30.40"
    assert token.last_used_at is not None


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(anna, settings):
    settings.KOLLEGA_TRUSTED_PROXIES = 1
    token, key = create_token(anna, "laptop")
    client = ApiClient(key, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.9")
    assert client.get("/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_from == "10.0.0.9"


def test_a_client_cannot_pick_its_address_without_a_trusted_proxy(anna):
    token, key = create_token(anna, "laptop")
    client = ApiClient(key, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client.get("/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_from == "10.0.0.1"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_token_command_creates_an_expiring_read_only_token(anna):
    out, err = run("create", "anna", "--name", "report", "--expires-in", "30", "--read-only")
    key = out.strip()
    token = ApiToken.objects.get()
    assert token.read_only and "read-only" in err and "expires" in err
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    client = ApiClient(key)
    assert client.get("/me").status_code == 200
    assert client.post("/posts", {"body": "no"}).status_code == 403

    listing, _err = run("list", "anna")
    assert "read-only" in listing and "report" in listing


def test_token_command_refuses_a_nonsense_expiry(anna):
    with pytest.raises(CommandError, match="1 to 3650 days"):
        run("create", "anna", "--expires-in", "0")
    assert ApiToken.objects.count() == 0
