"""Record sessions as people sign in and out (see `accounts.sessions`)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from kollega.accounts import sessions


@receiver(user_logged_in, dispatch_uid="kollega.accounts.record_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    person = getattr(user, "person", None)
    if request is not None and person is not None:
        sessions.record_sign_in(request, person)


@receiver(user_logged_out, dispatch_uid="kollega.accounts.forget_session")
def forget_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        sessions.forget_session(session.session_key)
