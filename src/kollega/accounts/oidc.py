"""Signing in through the company's OpenID Connect provider (authlib's client).

Set `OIDC_ISSUER`, `OIDC_CLIENT_ID` and `OIDC_CLIENT_SECRET`, and the sign-in
page offers "Sign in with …" (docs/identity.md). The flow:

1. `start_sign_in` reads the provider's discovery document
   (`OIDC_ISSUER/.well-known/openid-configuration`, whose `issuer` must be
   `OIDC_ISSUER` itself) and sends the browser to its authorisation endpoint
   with a fresh state, nonce and PKCE challenge (S256), kept in the session.
2. `complete_sign_in` takes the browser back: the state must be the one this
   browser's session holds (used once, then forgotten), the code is exchanged
   with the PKCE verifier, and the ID token must be signed by a key of the
   provider's JWKS and carry our issuer, our client id as audience, an
   unexpired `exp` and our nonce. Then Django's `authenticate()` asks
   `backends.OIDCBackend`, which finds the person by issuer and subject
   (`ExternalIdentity`) through `person_for_claims`.
3. Signing out (`sign_out_url`) ends the session at the provider too
   (RP-initiated logout), when it offers an `end_session_endpoint`.

Every refusal has a reason the refusal page explains, is logged (logger
`kollega.security`) and sends Django's `user_login_failed`, as a wrong
password does; a sign-in sends `user_logged_in`, a sign-out `user_logged_out`.
Nothing is changed by a refused sign-in.
"""

import functools
import logging
from dataclasses import dataclass, field

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from kollega.accounts.clients import client_address
from kollega.accounts.models import ExternalIdentity
from kollega.people.services import create_person

logger = logging.getLogger("kollega.security")

ID_TOKEN_SESSION_KEY = "kollega_oidc_id_token"
NEXT_SESSION_KEY = "kollega_oidc_next"
# Seconds of clock difference with the provider that `exp` and `iat` allow.
LEEWAY = 60
TIMEOUT = 10

REASONS = {
    "unreachable": _("The company sign-in could not be reached. Please try again later."),
    "issuer": _(
        "The company sign-in answered as another issuer than the one Kollega is set up "
        "for. An administrator must check OIDC_ISSUER."
    ),
    "state": _(
        "This sign-in was not started in this browser, or was already used. "
        "Please start again from the sign-in page."
    ),
    "provider": _("The company sign-in did not sign you in. Please start again."),
    "token": _(
        "The company sign-in sent an identity Kollega cannot trust (its signature, issuer, "
        "audience or expiry is wrong). Nothing was changed; please start again."
    ),
    "unknown": _(
        "Your company account is not linked to a person in Kollega yet. "
        "Please ask an administrator to add you."
    ),
    "inactive": _("This account is deactivated. Please ask an administrator if you need it back."),
    "taken": _(
        "A person with your user name or e-mail address is already in Kollega but not "
        "linked to your company account. Please ask an administrator to link it."
    ),
}


@dataclass
class SignInRefused(Exception):
    """The company sign-in did not sign anyone in; `reason` is a key of REASONS."""

    reason: str
    detail: str = ""
    claims: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(REASONS[self.reason])


def is_configured() -> bool:
    """True if the company's OpenID Connect provider is set up (OIDC_ISSUER and a client)."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def provider() -> "OAuth":
    """The authlib client for the configured provider (one per configuration)."""
    return _provider(
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
    )


@functools.lru_cache(maxsize=8)
def _provider(issuer: str, client_id: str, client_secret: str, scopes: str):
    oauth = OAuth()
    return oauth.register(
        "company",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=discovery_url(issuer),
        client_kwargs={
            "scope": scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT,
        },
    )


def _metadata(app) -> dict:
    """The discovery document, after checking that it speaks for OIDC_ISSUER."""
    try:
        metadata = app.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused("unreachable", str(error)) from error
    if metadata.get("issuer") != settings.OIDC_ISSUER:
        said, expected = metadata.get("issuer"), settings.OIDC_ISSUER
        raise SignInRefused("issuer", f"discovery says {said!r}, expected {expected!r}")
    return metadata


def start_sign_in(request, redirect_uri: str, next_url: str):
    """The redirect to the provider's authorisation endpoint (state, nonce, PKCE kept).

    Raises SignInRefused if the provider cannot be reached or speaks for
    another issuer.
    """
    app = provider()
    try:
        _metadata(app)
    except SignInRefused as refused:
        _refused(request, refused)
        raise
    request.session[NEXT_SESSION_KEY] = next_url
    return app.authorize_redirect(request, redirect_uri)


def complete_sign_in(request):
    """The user the provider's answer on this request signs in, and its ID token.

    Raises SignInRefused (logged, and sent as `user_login_failed`) if anything
    in the answer is wrong; see the module.
    """
    try:
        user, id_token = _complete(request)
    except SignInRefused as refused:
        _refused(request, refused)
        raise
    return user, id_token


def _complete(request):
    app = provider()
    _metadata(app)
    try:
        token = app.authorize_access_token(
            request,
            claims_options={"iss": {"essential": True, "value": settings.OIDC_ISSUER}},
            leeway=LEEWAY,
        )
    except MismatchingStateError as error:
        raise SignInRefused("state", "state unknown to this session") from error
    except OAuthError as error:
        raise SignInRefused("provider", f"{error.error}: {error.description}") from error
    except JoseError as error:
        raise SignInRefused("token", f"{type(error).__name__}: {error}") from error
    except requests.RequestException as error:
        raise SignInRefused("unreachable", str(error)) from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("token", "no ID token in the answer")
    request.oidc_refused = None
    user = authenticate(request, oidc_claims=dict(claims))
    if user is None:
        raise getattr(request, "oidc_refused", None) or SignInRefused("unknown", claims=claims)
    return user, token["id_token"]


def _refused(request, refused: SignInRefused) -> None:
    claims = refused.claims
    logger.warning(
        "company sign-in refused (%s) from %s for subject %r: %s",
        refused.reason,
        client_address(request),
        claims.get("sub", ""),
        refused.detail,
    )
    if refused.claims:
        return  # authenticate() has sent user_login_failed already
    user_login_failed.send(
        sender=__name__,
        credentials={"username": "", "method": "oidc", "reason": refused.reason},
        request=request,
    )


def person_for_claims(claims: dict):
    """The active user these validated ID-token claims name (issuer + subject).

    A subject seen before signs in as the user it is linked to. A new subject
    is linked to an existing person not yet linked at this issuer when
    OIDC_LINK_BY names how (`username` or `email`; never to a superuser), or
    else creates a person when OIDC_CREATE_PEOPLE is on; otherwise it is
    refused. A deactivated person is refused.
    """
    issuer, subject = claims.get("iss", ""), claims.get("sub", "")
    if not issuer or not subject:
        raise SignInRefused("token", "no issuer or subject", claims)
    with transaction.atomic():
        link = (
            ExternalIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if link is None:
            user = _existing_user(claims) or _new_user(claims)
            link = _link(user, issuer, subject, claims)
        if not link.user.is_active:
            raise SignInRefused("inactive", "deactivated", claims)
        link.last_signed_in_at = timezone.now()
        link.save(update_fields=["last_signed_in_at"])
    return link.user


def _claimed(claims: dict, name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _existing_user(claims: dict):
    """The one unlinked, non-superuser account OIDC_LINK_BY matches, or None."""
    User = get_user_model()
    candidates = User.objects.filter(is_superuser=False).exclude(
        external_identities__issuer=claims["iss"]
    )
    if settings.OIDC_LINK_BY == "username":
        username = _claimed(claims, settings.OIDC_CLAIM_USERNAME).lower()
        matches = candidates.filter(username=username) if username else User.objects.none()
    elif settings.OIDC_LINK_BY == "email":
        email = _claimed(claims, settings.OIDC_CLAIM_EMAIL)
        if not email or claims.get("email_verified") is False:
            return None
        matches = candidates.filter(email__iexact=email)
    else:
        return None
    found = list(matches[:2])
    return found[0] if len(found) == 1 else None


def _new_user(claims: dict):
    """A new person for an unknown subject, if OIDC_CREATE_PEOPLE allows it."""
    if not settings.OIDC_CREATE_PEOPLE:
        raise SignInRefused("unknown", "unknown subject and OIDC_CREATE_PEOPLE is off", claims)
    email = _claimed(claims, settings.OIDC_CLAIM_EMAIL)
    username = _claimed(claims, settings.OIDC_CLAIM_USERNAME) or email
    name = _claimed(claims, settings.OIDC_CLAIM_NAME) or " ".join(
        part for part in (_claimed(claims, "given_name"), _claimed(claims, "family_name")) if part
    )
    if not username:
        raise SignInRefused("unknown", "no user name or e-mail claim to create a person", claims)
    User = get_user_model()
    if User.objects.filter(username=username.lower()).exists() or (
        email and User.objects.filter(email__iexact=email).exists()
    ):
        raise SignInRefused("taken", f"user name {username!r} or e-mail is taken", claims)
    try:
        person = create_person(username, name or username, email=email)
    except ValidationError as error:
        raise SignInRefused("taken", " ".join(error.messages), claims) from error
    logger.warning("company sign-in created %r for subject %r", username, claims["sub"])
    return person.user


def _link(user, issuer: str, subject: str, claims: dict) -> ExternalIdentity:
    try:
        with transaction.atomic():
            link = ExternalIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, linked_at=timezone.now()
            )
    except IntegrityError as error:  # the same subject, signing in twice at once
        raise SignInRefused("state", "subject linked concurrently", claims) from error
    logger.warning("company sign-in linked %r to subject %r", user.get_username(), subject)
    link.user = user
    return link


def sign_out_url(request, id_token: str | None, after: str) -> str | None:
    """Where to send the browser to sign out at the provider too, or None.

    None if the provider is not configured, has no `end_session_endpoint` or
    cannot be reached: the local sign-out stands on its own.
    """
    if not is_configured() or not id_token:
        return None
    app = provider()
    try:
        _metadata(app)
        result = app.create_logout_url(
            post_logout_redirect_uri=after,
            id_token_hint=id_token,
            client_id=settings.OIDC_CLIENT_ID,
        )
    except (SignInRefused, RuntimeError) as error:
        logger.warning("could not sign out at the company sign-in: %s", error)
        return None
    return result["url"]
