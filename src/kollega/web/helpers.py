"""Shared view helpers: who is asking, and how service errors reach the page."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

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


def own_page(request, url: str | None) -> str | None:
    """`url` if it is a page of this site (a path, or our own host), else None."""
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def redirect_back(request, fallback: str = "/", referer: bool = False):
    """Back to the form's `next` (or, with `referer`, the page the form was on) when that
    is one of our own pages, else to `fallback`: a form can never send a colleague to
    another site (no open redirect). A form sent again from the page that showed its
    errors has that POST-only address as its referer: it is skipped for `fallback`."""
    for candidate in (
        request.POST.get("next"),
        request.META.get("HTTP_REFERER") if referer else None,
    ):
        back = own_page(request, candidate)
        if back is not None and urlsplit(back).path != request.path:
            return redirect(back)
    return redirect(fallback)
