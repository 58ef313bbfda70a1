"""The casts of the permission matrices (tests/permission_cast.py), one fixture each."""

import pytest
from permission_cast import make_cast, make_community_cast


@pytest.fixture
def cast(db):
    """The cast around a post: permission_cast.WHO."""
    return make_cast()


@pytest.fixture
def c_cast(db):
    """The cast around a community: permission_cast.C_WHO."""
    return make_community_cast()


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """A real OpenID Connect provider process on the loopback (tests/oidc_provider/),
    with one person and a client registered for the live server."""
    from oidc_provider.process import start_provider, stop_provider
    from real_processes import free_port

    provider = start_provider(tmp_path_factory.mktemp("oidc"), free_port(), live_server.url)
    yield provider
    stop_provider(provider)


@pytest.fixture
def oidc(oidc_provider, settings):
    """Kollega set up to sign in through `oidc_provider`, which behaves until told otherwise."""
    oidc_provider.misbehave("normal")
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_PROVIDER_NAME = "Test ID"
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {oidc_provider.url}"
    )
    return oidc_provider
