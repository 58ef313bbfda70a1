"""The search page and the suggestions under the search box: thin wrappers around services."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.limits import SEARCH_PAGE_ITEMS
from kollega.permissions.search import can_explain_scores
from kollega.search import services
from kollega.search.suggestions import suggest
from kollega.web.helpers import current_person, is_htmx

FILTER_PARAMS = ("type", "community", "tag", "author", "department", "since", "until")
FACET_TITLES = {
    "type": gettext_lazy("Type"),
    "community": gettext_lazy("Community"),
    "tag": gettext_lazy("Tag"),
    "author": gettext_lazy("Author"),
    "department": gettext_lazy("Department"),
    "date": gettext_lazy("Date"),
}
FILTER_TITLES = {
    **FACET_TITLES,
    "since": gettext_lazy("From"),
    "until": gettext_lazy("To"),
}
# Link text of results without a title of their own.
UNTITLED = {
    "post": gettext_lazy("Post by %(name)s"),
    "comment": gettext_lazy("Comment by %(name)s"),
    "answer": gettext_lazy("Answer by %(name)s"),
}
# The facet a value of each group sets.
FACET_PARAM = {"date": "since"}


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(
            _("%(name)s must be a date like 2026-01-31."), params={"name": name}
        ) from error


def filters_from(params) -> services.Filters:
    """The facets chosen in a query string; a bad value is a ValidationError."""
    department = params.get("department", "")
    if department and not department.isdigit():
        raise ValidationError(_("There is no such department."), code="department")
    return services.Filters(
        kinds=[k for k in params.getlist("type") if k],
        community=params.get("community", ""),
        tag=params.get("tag", ""),
        author=params.get("author", ""),
        department=int(department) if department else None,
        since=_date(params.get("since", ""), "since"),
        until=_date(params.get("until", ""), "until"),
    )


def _with(params: QueryDict, **changes) -> str:
    """The query string with `changes` made (None removes a parameter), paging reset."""
    query = params.copy()
    query.pop("offset", None)
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return "?" + query.urlencode()


def _facet_groups(params: QueryDict, results) -> list[dict]:
    groups = []
    for name, values in results.facets.items():
        param = FACET_PARAM.get(name, name)
        chosen = params.get(param, "")
        links = [
            {
                "label": v.label,
                "count": v.count,
                "active": v.value == chosen,
                "url": _with(params, **{param: None if v.value == chosen else v.value}),
            }
            for v in values
            if v.count
        ]
        if links:
            groups.append({"name": name, "title": FACET_TITLES[name], "links": links})
    return groups


def _heading(hit) -> str:
    document = hit.document
    name = document.author.name if document.author else ""
    return str(UNTITLED.get(document.kind, "%(name)s")) % {"name": name}


def search_page(request):
    """Search results for ?q=, grouped by type, with facets (htmx swaps only the results)."""
    person = current_person(request)
    params = request.GET
    text = params.get("q", "")
    context = {"q": text, "results": None, "error": "", "explain": False}
    status = 200
    if text.strip():
        try:
            offset = int(params.get("offset", "0") or 0)
        except ValueError:
            offset = -1
        try:
            results = services.search(person, text, filters_from(params), offset, SEARCH_PAGE_ITEMS)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            status = 400
        else:
            for hit in results.hits:
                hit.heading = _heading(hit)
            context.update(
                results=results,
                facet_groups=_facet_groups(params, results),
                active=[
                    {
                        "name": FILTER_TITLES[name],
                        "value": params[name],
                        "url": _with(params, **{name: None}),
                    }
                    for name in FILTER_PARAMS
                    if params.get(name)
                ],
                more_url=_with(params, offset=str(results.next_offset))
                if results.next_offset is not None
                else "",
                explain=can_explain_scores(person) and params.get("explain") == "1",
            )
    template = "search/_results.html" if is_htmx(request) else "search/search.html"
    return render(request, template, context, status=status)


def suggestions(request):
    """People, communities and tags starting with what was typed (under the search box)."""
    person = current_person(request)
    text = request.GET.get("q", "")
    found = suggest(person, text) if text.strip() else None
    return render(request, "search/_suggestions.html", {"q": text, "found": found})
