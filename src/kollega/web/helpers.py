"""Shared view helpers: who is asking, and how service errors reach the page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.people.models import Person
from kollega.people.services import visible_person


def current_person(request) -> Person:
    """The signed-in person; an account without a profile may not use the intranet."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied("This account has no profile.")
    return person


def person_or_404(username: str) -> Person:
    """`people.services.visible_person` for pages not yet converted to call it."""
    return visible_person(None, username)


def report_error(request, error: ValidationError) -> None:
    """Show a service's ValidationError to the person as a message."""
    for text in error.messages:
        messages.error(request, text)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
