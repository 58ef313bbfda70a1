"""Signing in through a real OpenID Connect provider process, over real HTTP.

The provider (tests/oidc_provider/: django-oauth-toolkit) runs as its own
process; Kollega is the live server; a `requests` session plays the browser,
so each redirect, cookie and the code exchange are real. Each bad answer from
the provider gives a clear page, signs nobody in, changes nothing and is logged.
"""

import re
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from kollega.accounts.models import ExternalIdentity
from kollega.people.models import Person
from kollega.people.tests.factories import deactivate

pytestmark = pytest.mark.django_db(transaction=True)


def provider_sends_back(browser, kollega_url, provider) -> str:
    """Start the company sign-in at Kollega and sign in at the provider; the callback
    address the provider sends the browser back to (not yet followed)."""
    answer = browser.get(kollega_url + "/login/oidc/", allow_redirects=False)
    assert answer.status_code == 302, answer.text
    authorize = answer.headers["Location"]
    asked = parse_qs(urlparse(authorize).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"]
    assert asked["state"] and asked["nonce"]
    answer = browser.get(authorize, allow_redirects=False)
    if "/accounts/login/" in answer.headers.get("Location", ""):
        login = urljoin(authorize, answer.headers["Location"])
        browser.get(login)
        answer = browser.post(
            login,
            data={
                "username": provider.username,
                "password": provider.password,
                "csrfmiddlewaretoken": browser.cookies["provider_csrf"],
                "next": parse_qs(urlparse(login).query)["next"][0],
            },
            allow_redirects=False,
        )
        answer = browser.get(urljoin(login, answer.headers["Location"]), allow_redirects=False)
    callback = answer.headers["Location"]
    assert callback.startswith(kollega_url + "/login/oidc/callback/"), callback
    return callback


def signed_in_as(browser, kollega_url) -> str | None:
    """The person Kollega's home page shows this browser as ("/people/tove/"), or None."""
    home = browser.get(kollega_url + "/", allow_redirects=False)
    if home.status_code != 200:
        return None
    return re.search(r'href="/people/([^/"]+)/" class="me-link"', home.text).group(1)


@pytest.fixture
def tove(make_person, oidc):
    """Tove, already a colleague in Kollega, linked to her account at the provider."""
    person = make_person("Tove Lund", "tove")
    ExternalIdentity.objects.create(
        user=person.user, issuer=oidc.issuer, subject=oidc.subject, linked_at="2026-12-01T09:00Z"
    )
    return person


def snapshot():
    return (
        list(get_user_model().objects.values_list("username", "is_active")),
        list(ExternalIdentity.objects.values_list("issuer", "subject", "user_id")),
    )


def refused(answer, status, words, caplog, reason):
    assert answer.status_code == status
    assert words in re.sub(r"\s+", " ", answer.text)
    assert any(
        f"company sign-in refused ({reason})" in record.getMessage()
        for record in caplog.records
        if record.name == "kollega.security"
    )


def test_a_linked_person_signs_in_and_lands_on_the_home_page_as_herself(live_server, tove, oidc):
    browser = requests.Session()
    callback = provider_sends_back(browser, live_server.url, oidc)
    home = browser.get(callback)
    assert home.url == live_server.url + "/"
    assert signed_in_as(browser, live_server.url) == "tove"
    link = ExternalIdentity.objects.get(user=tove.user)
    assert link.last_signed_in_at is not None


def test_the_first_sign_in_creates_the_person_when_the_administrator_allows_it(
    live_server, oidc, settings, db
):
    settings.OIDC_CREATE_PEOPLE = True
    browser = requests.Session()
    browser.get(provider_sends_back(browser, live_server.url, oidc))
    person = Person.objects.get(user__username="tove")
    assert (person.name, person.user.email) == ("Tove Lund", "tove.lund@example.org")
    assert not person.user.has_usable_password()
    assert signed_in_as(browser, live_server.url) == "tove"
    # Her next sign-in finds her by her subject: no second person.
    again = requests.Session()
    again.get(provider_sends_back(again, live_server.url, oidc))
    assert Person.objects.count() == 1 and ExternalIdentity.objects.count() == 1


def test_an_existing_person_is_linked_by_user_name_when_the_administrator_chose_that(
    live_server, oidc, settings, make_person
):
    settings.OIDC_LINK_BY = "username"
    tove = make_person("Tove Lund", "tove")
    browser = requests.Session()
    browser.get(provider_sends_back(browser, live_server.url, oidc))
    assert signed_in_as(browser, live_server.url) == "tove"
    assert ExternalIdentity.objects.get(subject=oidc.subject).user == tove.user


def test_a_person_is_found_by_subject_not_by_an_e_mail_address_that_changed(
    live_server, tove, oidc, make_person, settings
):
    settings.OIDC_LINK_BY = "email"
    # Someone else now has the e-mail address the provider sends for Tove.
    other = make_person("Other Tove", "other")
    other.user.email = "tove.lund@example.org"
    other.user.save(update_fields=["email"])
    browser = requests.Session()
    browser.get(provider_sends_back(browser, live_server.url, oidc))
    assert signed_in_as(browser, live_server.url) == "tove"


def test_an_unknown_subject_is_refused_when_creation_is_off(live_server, oidc, caplog, db):
    before = snapshot()
    browser = requests.Session()
    answer = browser.get(provider_sends_back(browser, live_server.url, oidc))
    refused(answer, 403, "not linked to a person in Kollega yet", caplog, "unknown")
    assert snapshot() == before
    assert signed_in_as(browser, live_server.url) is None


def test_a_deactivated_person_cannot_sign_in_through_the_provider(live_server, tove, oidc, caplog):
    deactivate(tove)
    before = snapshot()
    browser = requests.Session()
    answer = browser.get(provider_sends_back(browser, live_server.url, oidc))
    refused(answer, 403, "This account is deactivated", caplog, "inactive")
    assert snapshot() == before
    assert signed_in_as(browser, live_server.url) is None


@pytest.mark.parametrize("mode", ["wrong-issuer", "expired", "rogue-key"])
def test_an_id_token_kollega_cannot_trust_is_refused(live_server, tove, oidc, caplog, mode):
    oidc.misbehave(mode)
    before = snapshot()
    browser = requests.Session()
    answer = browser.get(provider_sends_back(browser, live_server.url, oidc))
    refused(answer, 400, "an identity Kollega cannot trust", caplog, "token")
    assert snapshot() == before
    assert signed_in_as(browser, live_server.url) is None


def test_a_replayed_callback_signs_nobody_in(live_server, tove, oidc, caplog):
    browser = requests.Session()
    callback = provider_sends_back(browser, live_server.url, oidc)
    browser.get(callback)
    assert signed_in_as(browser, live_server.url) == "tove"
    # The same answer again, in this browser and in another one: refused both times.
    again = browser.get(callback)
    refused(again, 400, "already used", caplog, "state")
    elsewhere = requests.Session()
    refused(elsewhere.get(callback), 400, "already used", caplog, "state")
    assert signed_in_as(elsewhere, live_server.url) is None


def test_a_state_that_this_browser_did_not_start_is_refused(live_server, tove, oidc, caplog):
    browser = requests.Session()
    callback = provider_sends_back(browser, live_server.url, oidc)
    forged = re.sub(r"state=[^&]+", "state=not-the-one-we-sent", callback)
    answer = browser.get(forged)
    refused(answer, 400, "not started in this browser", caplog, "state")
    assert signed_in_as(browser, live_server.url) is None
    assert ExternalIdentity.objects.get(user=tove.user).last_signed_in_at is None


def test_a_provider_answering_as_another_issuer_is_refused_before_anything(
    live_server, oidc, settings, caplog
):
    settings.OIDC_ISSUER = oidc.issuer + "/"  # discovery still answers, as ".../o"
    answer = requests.get(live_server.url + "/login/oidc/", allow_redirects=False)
    refused(answer, 502, "answered as another issuer", caplog, "issuer")


@pytest.fixture
def signals():
    """The names of Django's sign-in signals sent, in order (what an audit trail hears)."""
    heard = []
    receivers = {
        user_logged_in: lambda **kw: heard.append(("in", kw["user"].get_username())),
        user_login_failed: lambda **kw: heard.append(("failed", kw["credentials"].get("method"))),
        user_logged_out: lambda **kw: heard.append(("out", kw["user"].get_username())),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield heard
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def test_company_sign_ins_send_djangos_sign_in_signals(live_server, tove, oidc, signals):
    browser = requests.Session()
    browser.get(provider_sends_back(browser, live_server.url, oidc))
    browser.get(live_server.url + "/")
    token = browser.cookies["csrftoken"]
    out = browser.post(
        live_server.url + "/logout/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": live_server.url + "/"},
        allow_redirects=False,
    )
    # Signed out here, and sent on to sign out at the provider too.
    assert out.headers["Location"].startswith(oidc.issuer + "/logout/?id_token_hint=")
    assert signed_in_as(browser, live_server.url) is None
    refused_browser = requests.Session()
    refused_browser.get(live_server.url + "/login/oidc/callback/?code=x&state=forged")
    assert signals == [("in", "tove"), ("out", "tove"), ("failed", "oidc")]
