"""Sign-in throttling, through the real sign-in form (and the admin's)."""

import logging
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from kollega.accounts import signin
from kollega.accounts.models import SignInAttempt
from kollega.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", address)
        assert response.status_code == 200
        assert "did not match" in response.content.decode()


def test_the_right_password_signs_in(anna):
    response = sign_in(Client(), "anna", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_five_failures_pause_the_account_even_for_the_right_password(anna):
    client = Client()
    fail(client, "anna", 5)
    response = sign_in(client, "anna", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-ins; try again in 1 minute." in text
    assert "_auth_user_id" not in client.session
    assert int(response["Retry-After"]) == 60


def test_a_paused_account_is_paused_from_every_address(anna):
    fail(Client(), "anna", 5, address="10.0.0.1")
    response = sign_in(Client(), "anna", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429


def test_the_pause_ends_on_its_own(anna):
    client = Client()
    fail(client, "anna", 5)
    SignInAttempt.objects.update(at=timezone.now() - timedelta(minutes=1, seconds=1))
    assert sign_in(client, "anna", PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_pause_up_to_fifteen_minutes(anna):
    client = Client()
    fail(client, "anna", 5)
    pause = 1
    for expected in (2, 4, 8, 15, 15):
        # Let the pause end (as if its minutes had passed); one more wrong guess earns more.
        SignInAttempt.objects.update(at=F("at") - timedelta(minutes=pause, seconds=1))
        fail(client, "anna", 1)
        response = sign_in(client, "anna", PASSWORD)
        assert response.status_code == 429
        assert f"try again in {expected} minutes" in response.content.decode()
        pause = expected


def test_failures_older_than_an_hour_no_longer_count(anna):
    client = Client()
    fail(client, "anna", 5)
    SignInAttempt.objects.update(at=F("at") - timedelta(minutes=61))
    fail(client, "anna", 4)
    assert sign_in(client, "anna", PASSWORD).status_code == 302


def test_a_success_clears_the_accounts_count(anna):
    client = Client()
    fail(client, "anna", 4)
    assert sign_in(client, "anna", PASSWORD).status_code == 302
    other = Client()
    fail(other, "anna", 4)
    assert sign_in(other, "anna", PASSWORD).status_code == 302
    assert SignInAttempt.objects.filter(outcome="failed").count() == 8  # still on record


def test_twenty_failures_from_one_address_pause_that_address_for_every_account(anna, bjorn):
    client = Client()
    for i in range(20):
        fail(client, f"someone{i % 4}", 1, address="10.6.6.6")
    response = sign_in(Client(), "bjorn", PASSWORD, address="10.6.6.6")
    assert response.status_code == 429
    # Another address is not held back by it.
    assert sign_in(Client(), "bjorn", PASSWORD, address="10.0.0.2").status_code == 302


def test_a_browser_that_signed_in_before_may_sign_in_during_the_accounts_pause(anna):
    own = Client()
    assert sign_in(own, "anna", PASSWORD).status_code == 302
    assert signin.KNOWN_BROWSER_COOKIE in own.cookies
    own.post("/logout/")
    attacker = Client()
    fail(attacker, "anna", 5, address="10.6.6.6")
    assert sign_in(attacker, "anna", PASSWORD, address="10.6.6.6").status_code == 429
    # Anna at her own browser is not locked out by someone else's guessing ...
    assert sign_in(own, "anna", PASSWORD).status_code == 302
    # ... and a forged note does not count.
    forged = Client()
    forged.cookies[signin.KNOWN_BROWSER_COOKIE] = "anna"
    fail(forged, "anna", 5, address="10.6.6.7")
    assert sign_in(forged, "anna", PASSWORD, address="10.6.6.7").status_code == 429


def test_a_known_browser_on_a_paused_address_is_still_refused(anna):
    own = Client()
    assert sign_in(own, "anna", PASSWORD, address="10.6.6.6").status_code == 302
    for i in range(20):
        fail(Client(), f"x{i}", 1, address="10.6.6.6")
    assert sign_in(own, "anna", PASSWORD, address="10.6.6.6").status_code == 429


def test_failures_and_refusals_are_logged_and_recorded(anna, caplog):
    client = Client(HTTP_USER_AGENT="Guesser/1.0")
    with caplog.at_level(logging.WARNING, logger="kollega.security"):
        fail(client, "Anna", 5, address="10.1.1.1")
        sign_in(client, "anna", PASSWORD, address="10.1.1.1")
    messages = [r.getMessage() for r in caplog.records if r.name == "kollega.security"]
    assert sum("sign-in failed for 'anna' from 10.1.1.1" in m for m in messages) == 5
    assert sum("sign-in refused for 'anna' from 10.1.1.1" in m for m in messages) == 1
    rows = list(SignInAttempt.objects.order_by("at").values_list("username", "address", "outcome"))
    assert rows == [("anna", "10.1.1.1", "failed")] * 5 + [("anna", "10.1.1.1", "refused")]
    assert SignInAttempt.objects.first().browser == "Guesser/1.0"


def test_unknown_user_names_are_throttled_like_real_ones(db):
    client = Client()
    fail(client, "nobody", 5)
    response = sign_in(client, "nobody", "whatever")
    assert response.status_code == 429


def test_the_admin_sign_in_is_throttled_too(anna):
    anna.user.is_staff = True
    anna.user.is_superuser = True
    anna.user.save()
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "anna", "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_refusal_is_translated(anna):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    fail_sv = [sign_in(client, "anna", "wrong") for _ in range(5)]
    assert all(r.status_code == 200 for r in fail_sv)
    response = sign_in(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" not in response.content.decode()
