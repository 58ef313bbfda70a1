"""API authentication: personal access tokens (Bearer) or the browser session.

Either way the endpoint receives the signed-in Person as `request.auth`.

- A token is sent as `Authorization: Bearer kol_…`. Only its SHA-256 is stored;
  a revoked token, or the token of someone who has left, is refused (401).
  Tokens are not cookies, so no CSRF token is needed with them.
- The browser session (the intranet's own sign-in cookie) works for scripts in
  the intranet's pages. Unsafe methods (POST, PATCH, DELETE) need Django's CSRF
  token (the `X-CSRFToken` header), exactly like a form; without it: 403.
- A request that sends an `Authorization` header is judged by that header alone,
  so a bad token is always 401, whatever cookies come with it.
"""

from django.conf import settings
from django.utils import timezone, translation
from ninja.security import APIKeyCookie, HttpBearer

from kollega.api.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kol_…`, a personal access token."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("person__user")
            .filter(key_hash=ApiToken.hash_key(token), person__user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        person = found.person
        request.user = person.user
        if person.language:
            # The session's language middleware ran before we knew who was asking.
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language
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
