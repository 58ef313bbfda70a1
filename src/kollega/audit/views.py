"""The administrator's audit trail page (/audit/) and its CSV and JSON export."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from kollega.audit import export, services
from kollega.audit.forms import TrailFilterForm
from kollega.permissions import NotFound
from kollega.permissions.audit import can_read_audit_trail
from kollega.web.helpers import current_person

PER_PAGE = 50


def _filtered(request):
    """The filter form and the entries it selects (none while the form has errors)."""
    if not can_read_audit_trail(current_person(request)):
        raise NotFound
    form = TrailFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    filters = form.filters() if form.is_bound else {}
    return form, services.entries_matching(**filters)


def trail(request):
    """Entries newest first, filtered by person, item, action and period; staff only."""
    form, entries = _filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
        if entries is not None
        else None,
        "query": query.urlencode(),
    }
    return render(request, "audit/trail.html", context, status=200 if entries is not None else 400)


def export_trail(request, fmt: str):
    """The filtered entries as CSV or JSON, streamed; staff only."""
    form, entries = _filtered(request)
    if entries is None:
        return render(request, "audit/trail.html", {"form": form, "page": None}, status=400)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(
            export.csv_lines(export.streamed(entries)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            export.json_chunks(export.streamed(entries)), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
