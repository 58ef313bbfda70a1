"""Two-step sign-in: an authenticator app's code after the password (accounts.two_step)."""

import re

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from kollega.accounts import two_step
from kollega.accounts.models import RecoveryCode, SecondFactor, SignedInSession
from kollega.people.tests.factories import PASSWORD, signed_in


def code(user, offset=0) -> str:
    """The code the person's app shows `offset` time steps from now (30 s each)."""
    totp = pyotp.TOTP(SecondFactor.objects.get(user=user).secret)
    return totp.generate_otp(int(timezone.now().timestamp() // totp.interval) + offset)


def turn_on(person) -> list[str]:
    two_step.start_enrolment(person.user)
    return two_step.confirm_enrolment(person.user, code(person.user, -1))


def password_step(username="anna"):
    client = Client()
    answer = client.post("/login/", {"username": username, "password": PASSWORD})
    return client, answer


def test_setting_it_up_shows_the_key_as_text_and_asks_for_a_first_code(anna):
    client = signed_in(anna)
    client.post("/settings/security/two-step/start/")
    page = client.get("/settings/security/")
    secret = SecondFactor.objects.get(user=anna.user).secret
    text = page.content.decode()
    assert secret in text and "otpauth://totp/Kollega:anna?secret=" + secret in text
    assert page["Cache-Control"] == "no-store"
    wrong = client.post("/settings/security/two-step/confirm/", {"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert not two_step.is_on(anna.user)
    right = client.post("/settings/security/two-step/confirm/", {"code": code(anna.user)})
    shown = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", right.content.decode())
    assert len(shown) == 10 and two_step.is_on(anna.user)
    # Kept only as hashes: the codes shown are nowhere in the database.
    kept = list(RecoveryCode.objects.filter(user=anna.user).values_list("code_hash", flat=True))
    assert len(kept) == 10 and not set(shown) & set(kept)
    assert not re.search(r"[0-9a-f]{5}-[0-9a-f]{5}", client.get("/settings/security/").text)


def test_the_password_alone_no_longer_signs_in(anna):
    turn_on(anna)
    client, answer = password_step()
    assert answer.status_code == 302 and answer["Location"] == "/login/code/"
    assert client.get("/").status_code == 302  # not signed in yet
    assert "authenticator app" in client.get("/login/code/").content.decode()
    assert not SignedInSession.objects.filter(person=anna).exists()


def test_the_code_after_the_password_signs_in(anna):
    turn_on(anna)
    client, _ = password_step()
    answer = client.post("/login/code/", {"code": code(anna.user)})
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert client.get("/").status_code == 200
    assert SignedInSession.objects.filter(person=anna).exists()  # user_logged_in was sent


def test_a_code_is_accepted_once(anna):
    turn_on(anna)
    used = code(anna.user)
    first, _ = password_step()
    assert first.post("/login/code/", {"code": used})["Location"] == "/"
    second, _ = password_step()
    again = second.post("/login/code/", {"code": used})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()
    assert second.get("/").status_code == 302


def test_a_recovery_code_signs_in_once_instead_of_the_app(anna):
    recovery = turn_on(anna)[3]
    client, _ = password_step()
    assert client.post("/login/code/", {"code": recovery.upper()})["Location"] == "/"
    other, _ = password_step()
    assert other.post("/login/code/", {"code": recovery}).status_code == 200
    assert other.get("/").status_code == 302
    assert two_step.recovery_codes_left(anna.user) == 9


def test_wrong_codes_are_throttled_like_wrong_passwords(anna):
    turn_on(anna)
    client, _ = password_step()
    for _ in range(5):
        assert client.post("/login/code/", {"code": "123456"}).status_code == 200
    paused = client.post("/login/code/", {"code": code(anna.user)})
    assert paused.status_code == 429 and "Too many failed sign-ins" in paused.content.decode()
    assert client.get("/").status_code == 302


def test_the_code_step_cannot_be_reached_without_the_password(anna):
    turn_on(anna)
    client = Client()
    answer = client.post("/login/code/", {"code": code(anna.user)})
    assert answer["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_turning_it_off_needs_a_current_code(anna):
    turn_on(anna)
    client = signed_in(anna)
    wrong = client.post("/settings/security/two-step/off/", {"code": "000000"})
    assert wrong.status_code == 400 and two_step.is_on(anna.user)
    client.post("/settings/security/two-step/off/", {"code": code(anna.user, 1)})
    assert not two_step.is_on(anna.user)
    assert not RecoveryCode.objects.filter(user=anna.user).exists()
    _, answer = password_step()
    assert answer["Location"] == "/"


def test_the_admin_sign_in_does_not_skip_the_code(anna):
    anna.user.is_staff = True
    anna.user.save(update_fields=["is_staff"])
    turn_on(anna)
    client = Client()
    answer = client.post("/admin/login/", {"username": "anna", "password": PASSWORD})
    assert "asks for a code" in answer.content.decode()
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("bad", ["", "12345", "abcdef", "1234567"])
def test_malformed_codes_are_simply_wrong(anna, bad):
    turn_on(anna)
    assert not two_step.check_code(anna.user, bad)
