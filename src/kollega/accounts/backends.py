"""The authentication backends: passwords (throttled, switchable) and the company sign-in.

`ThrottledModelBackend` guards every way in that checks a password — the
sign-in page, the admin's sign-in, the test client's `login()` — not only one
view. `OIDCBackend` answers Django's `authenticate(request, oidc_claims=…)`
with the person those validated claims name (`accounts.oidc`), so a company
sign-in sends the same `user_logged_in` / `user_login_failed` signals.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied

from kollega.accounts import oidc, signin


class ThrottledModelBackend(ModelBackend):
    """`ModelBackend`, refusing (PermissionDenied) while too many sign-ins failed,
    and for everyone but the break-glass administrators when local passwords are off."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)

        def check_password():
            return super(ThrottledModelBackend, self).authenticate(
                request, username, password, **kwargs
            )

        try:
            return signin.sign_in_with_password(request, username, check_password)
        except signin.SignInRefused as refused:
            if request is not None:
                request.sign_in_refused = refused  # for the form's message
            # Django stops at PermissionDenied: no other backend is asked.
            raise PermissionDenied(refused.message) from refused
        except signin.PasswordsOff as refused:
            if request is not None:
                request.passwords_off = refused
            raise PermissionDenied(str(refused)) from refused


class OIDCBackend(BaseBackend):
    """The person the company's OpenID Connect provider vouched for (`accounts.oidc`)."""

    def authenticate(self, request, oidc_claims=None, **kwargs):
        if oidc_claims is None:
            return None
        try:
            return oidc.person_for_claims(oidc_claims)
        except oidc.SignInRefused as refused:
            if request is not None:
                request.oidc_refused = refused
            return None

    def get_user(self, user_id):
        user = get_user_model()._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
