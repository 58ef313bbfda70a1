from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kollega.insights import charts, services
from kollega.insights.forms import InsightsFilter
from kollega.permissions.insights import Scope, may_filter_departments, owned_communities
from kollega.web.helpers import current_person


def _selection(request):
    """The filter form and the selection it asks for (None while the form has errors)."""
    person = current_person(request)
    form = InsightsFilter(
        request.GET or None,
        departments=may_filter_departments(person),
        communities=owned_communities(person).order_by("name"),
    )
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else InsightsFilter().clean_defaults()
    selection = services.selection_for(
        person, data["start"], data["end"], data.get("department"), data.get("community")
    )
    return form, selection


def dashboard(request):
    """The insights page: every panel the viewer may see, for the chosen filters."""
    try:
        form, selection = _selection(request)
    except PermissionDenied as error:
        return render(request, "insights/dashboard.html", {"refused": str(error)}, status=403)
    context = {"form": form, "selection": selection}
    if selection is not None:
        context["future"] = services.is_in_future(selection)
        context["own"] = selection.scope.kind == Scope.OWN
        if not context["future"]:
            query = urlencode({k: v for k, v in request.GET.items() if v})
            context["panels"] = [
                (shown, [(chart, charts.draw(chart)) for chart in shown.figures.charts])
                for shown in services.dashboard(selection)
            ]
            context["query"] = f"?{query}" if query else ""
    return render(request, "insights/dashboard.html", context)


def chart_csv(request, panel: str, chart: str):
    """One chart's data as CSV, for the same filters as the page."""
    form, selection = _selection(request)
    if selection is None:
        return HttpResponse(_("The filters are not valid."), status=400, content_type="text/plain")
    data = services.chart_csv(services.chart_of(selection, panel, chart))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    name = f"{panel}-{chart}-{selection.start:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
