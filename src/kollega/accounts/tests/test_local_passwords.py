"""Local passwords: switched off for all but the break-glass administrators, and a policy."""

import logging
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from kollega.people.tests.factories import PASSWORD


@pytest.fixture
def passwords_off(settings):
    settings.KOLLEGA_LOCAL_PASSWORDS = False
    settings.KOLLEGA_BREAK_GLASS_USERS = ["anna"]


def sign_in(username, password=PASSWORD, path="/login/"):
    client = Client()
    answer = client.post(path, {"username": username, "password": password})
    return client, answer


def test_with_passwords_off_a_colleague_is_told_to_use_the_company_sign_in(
    passwords_off, bjorn, caplog
):
    with caplog.at_level(logging.WARNING, logger="kollega.security"):
        client, answer = sign_in("bjorn")
    assert answer.status_code == 200
    assert "Sign-in with a password is switched off" in answer.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    assert "local passwords are off" in caplog.text


def test_with_passwords_off_the_break_glass_administrator_still_signs_in(passwords_off, anna):
    client, answer = sign_in("anna")
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert client.get("/").status_code == 200


def test_with_passwords_off_the_admin_sign_in_refuses_a_password_too(passwords_off, bjorn):
    bjorn.user.is_staff = True
    bjorn.user.save(update_fields=["is_staff"])
    client, answer = sign_in("bjorn", path="/admin/login/")
    assert "switched off" in answer.content.decode()
    assert client.get("/admin/").status_code == 302


def test_with_passwords_off_the_password_form_hides_behind_the_company_sign_in(
    passwords_off, settings, db
):
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "https://id.example.org", "kollega"
    settings.OIDC_PROVIDER_NAME = "Example ID"
    page = Client().get("/login/").content.decode()
    assert "Sign in with Example ID" in page
    assert "<details>" in page and "Administrator sign-in with a password" in page


def test_without_a_provider_the_sign_in_page_has_passwords_only(client, db):
    page = client.get("/login/").content.decode()
    assert 'name="password"' in page and "Sign in with" not in page
    assert client.get("/login/oidc/").status_code == 404
    assert client.get("/login/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.parametrize(
    "password, says",
    [
        ("short-pw-1", "too short"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
        ("boss.hansen.example", "too similar"),
    ],
)
def test_a_password_set_by_command_must_pass_the_policy(db, password, says):
    with pytest.raises(CommandError, match=says):
        call_command("createadmin", "boss.hansen", "--email", "boss.hansen@example.org",
                     "--password", password)  # fmt: skip
    assert not get_user_model().objects.filter(username="boss.hansen").exists()


def test_a_password_that_passes_the_policy_is_set(db):
    call_command("createadmin", "boss", "--password", "violet-anchor-ladder-92")
    assert Client().login(username="boss", password="violet-anchor-ladder-92")


def policy_with(tmp_path, **variables) -> str:
    """The content security policy Kollega's settings build from these variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    env.update(KOLLEGA_DATA_DIR=str(tmp_path), **variables)
    code = "import kollega.settings as s; print(s.CONTENT_SECURITY_POLICY)"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_the_content_security_policy_lets_sign_out_continue_to_the_provider(tmp_path):
    issuer = "https://login.example.com/tenant/v2.0"
    with_provider = policy_with(tmp_path, OIDC_ISSUER=issuer)
    assert "form-action 'self' https://login.example.com" in with_provider
    without = policy_with(tmp_path)
    assert "form-action 'self'" in without and "login.example.com" not in without
