import logging

from django.db import DatabaseError

from kollega.accounts.sessions import note_session_seen

logger = logging.getLogger(__name__)


class SessionSeenMiddleware:
    """Refresh the signed-in session's "last seen" (see `accounts.sessions`).

    A hint for the person's security page: a database that cannot take it now
    costs the reader nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Authorization" not in request.headers:
            person = getattr(user, "person", None)
            if person is not None:
                try:
                    note_session_seen(request, person)
                except DatabaseError:
                    logger.warning("could not note session as seen", exc_info=True)
        return self.get_response(request)
