"""The composer's early warning: what the share guard would say, before Post is pressed."""

from django.shortcuts import render
from django.views.decorators.http import require_POST

from kollega.guard.services import preview
from kollega.web.helpers import current_person


@require_POST
def hint(request):
    """A fragment (htmx) naming what the guard would block or warn about in `body` for the
    chosen `audience` (a community post's audience is its community); empty when all is well."""
    current_person(request)
    audience = request.POST.get("audience") or (
        "community" if request.POST.get("community") else "organisation"
    )
    verdict, message = preview(request.POST.get("body", ""), audience)
    return render(request, "guard/_hint.html", {"verdict": verdict, "message": message})
