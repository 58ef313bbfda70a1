import logging

from django.db import DatabaseError
from django.utils import translation

from kollega.people.presence import note_seen

logger = logging.getLogger(__name__)


class PersonLanguageMiddleware:
    """Use the interface language a signed-in person chose in their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        person = getattr(user, "person", None) if user and user.is_authenticated else None
        if person is not None and person.language:
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language
        return self.get_response(request)


class PersonSeenMiddleware:
    """Note the signed-in person as seen (see `people.presence`).

    After the response: an API request signs its person in with a token
    inside the view, and is noted too. The note is a hint for routing, so a
    database that cannot take it now (locked, read-only) costs the reader
    nothing: the page they asked for is answered anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            person = getattr(user, "person", None)
            if person is not None:
                try:
                    note_seen(person)
                except DatabaseError:
                    logger.warning("could not note person %s as seen", person.pk, exc_info=True)
        return response
