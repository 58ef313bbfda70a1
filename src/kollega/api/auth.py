"""API authentication: personal access tokens (Bearer) or the browser session."""

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from kollega.api.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("person__user")
            .filter(key_hash=ApiToken.hash_key(token), person__user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.person.user
        return found.person


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; CSRF is checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active and hasattr(user, "person"):
            return user.person
        return None
