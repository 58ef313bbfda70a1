"""API authentication: personal access tokens (Bearer) or the browser session.

Either way the endpoint receives the signed-in Person as `request.auth`.

- A token is sent as `Authorization: Bearer kol_…`. Only its SHA-256 is stored;
  a revoked or expired token, or the token of someone who has left, is refused
  (401). A read-only token is refused (403) on POST, PUT, PATCH and DELETE.
  Tokens are not cookies, so no CSRF token is needed with them.
- The browser session (the intranet's own sign-in cookie) works for scripts in
  the intranet's pages. Unsafe methods (POST, PATCH, DELETE) need Django's CSRF
  token (the `X-CSRFToken` header), exactly like a form; without it: 403.
- A request that sends an `Authorization` header is judged by that header alone,
  so a bad token is always 401, whatever cookies come with it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from ninja.security import APIKeyCookie, HttpBearer

from kollega.accounts.clients import client_address
from kollega.api.models import ApiToken

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def usable_token(key: str) -> ApiToken | None:
    """The token sent as `key`, if it still authenticates (not revoked, expired or left)."""
    return (
        ApiToken.objects.usable()
        .select_related("person__user")
        .filter(key_hash=ApiToken.hash_key(key))
        .first()
    )


def bearer_key(request) -> str | None:
    """The key of an `Authorization: Bearer …` header, if the request has one."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kol_…`, a personal access token."""

    def authenticate(self, request, token: str):
        found = usable_token(token)
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(
            last_used_at=timezone.now(), last_used_from=client_address(request)
        )
        person = found.person
        request.user = person.user
        if person.language:
            # The session's language middleware ran before we knew who was asking.
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language
        if found.read_only and request.method in UNSAFE_METHODS:
            raise PermissionDenied(
                "This token is read-only: it may read but not change anything. "
                "Create a read-write token for this."
            )
        return person


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; CSRF is checked on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if "Authorization" in request.headers:
            return None
        person = self.authenticate(request, None)
        if person is None:
            return None
        # Raises HttpError(403, "CSRF check Failed") on an unsafe method without a token.
        self._get_key(request)
        return person

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active and hasattr(user, "person"):
            return user.person
        return None
