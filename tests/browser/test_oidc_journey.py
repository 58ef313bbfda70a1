"""In chromium: signing in through the company's provider and out again, at both ends.

The provider is a real OpenID Connect provider process (tests/oidc_provider/).
"""

import pytest
from playwright.sync_api import expect

from kollega.accounts.models import ExternalIdentity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signing_in_and_out_through_the_company_provider(browser, live_server, oidc, make_person):
    tove = make_person("Tove Lund", "tove")
    ExternalIdentity.objects.create(
        user=tove.user, issuer=oidc.issuer, subject=oidc.subject, linked_at="2026-12-01T09:00Z"
    )
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Test ID").click()
    # At the provider: its own sign-in form.
    page.get_by_label("Provider user name").fill(oidc.username)
    page.get_by_label("Provider password").fill(oidc.password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.locator(".me-name")).to_have_text("Tove Lund")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/login/**")
    expect(page.get_by_role("heading", name="Sign in to Kollega")).to_be_visible()
    # Signed out at the provider too: it asks for the password again.
    page.get_by_role("link", name="Sign in with Test ID").click()
    expect(page.get_by_label("Provider password")).to_be_visible()
    assert page.url.startswith(oidc.url)
    context.close()


def test_the_sign_in_page_offers_passwords_only_without_a_provider(browser, live_server, db):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.goto("/login/")
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in with")).to_have_count(0)
    context.close()
