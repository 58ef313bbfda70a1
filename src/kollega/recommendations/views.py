"""Recommendation pages: the home page's panel, the full list, and "Not interested"."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kollega.recommendations import services
from kollega.web.helpers import current_person, is_htmx, redirect_back


@require_GET
def panel(request):
    """The home page's panel (loaded by htmx after the page, so the page never waits)."""
    person = current_person(request)
    return render(
        request,
        "recommendations/_panel.html",
        {"recommendations": services.recommend(person), "next": request.GET.get("next", "/")},
    )


@require_GET
def recommendations_page(request):
    """All of one's recommendations on a page of their own (also the panel without JS)."""
    person = current_person(request)
    return render(
        request,
        "recommendations/page.html",
        {"recommendations": services.recommend(person, limit_per_kind=10)},
    )


@require_POST
def dismiss(request):
    """ "Not interested": the item is never recommended to the person again."""
    person = current_person(request)
    try:
        object_id = int(request.POST.get("id", ""))
        services.dismiss(person, request.POST.get("kind", ""), object_id)
    except (ValueError, ValidationError):
        return HttpResponseBadRequest(_("That is not a recommendation."))
    if is_htmx(request):
        return HttpResponse(
            format_html(
                '<li class="meta" role="status">{}</li>',
                _("You will not see this suggestion again."),
            )
        )
    return redirect_back(request, fallback="/recommendations/")
