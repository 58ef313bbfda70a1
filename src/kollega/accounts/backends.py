"""The authentication backend: Django's password check, throttled by `accounts.signin`.

As a backend it guards every way in that checks a password — the sign-in page,
the admin's sign-in, the test client's `login()` — not only one view.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from kollega.accounts import signin


class ThrottledModelBackend(ModelBackend):
    """`ModelBackend`, refusing (PermissionDenied) while too many sign-ins failed."""

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
