from django.core.exceptions import ValidationError
from django.shortcuts import render

from kollega.expertise import services
from kollega.expertise.forms import ExpertsForm
from kollega.web.helpers import current_person, is_htmx


def experts(request):
    """Who knows about X: ranked colleagues, why, and how to reach them."""
    form = ExpertsForm(request.GET or None)
    experts, error = None, None
    if form.is_valid():
        try:
            experts = services.find_experts(
                current_person(request),
                form.cleaned_data["q"],
                department=form.cleaned_data["department"],
                office=form.cleaned_data["office"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    template = "expertise/_experts.html" if is_htmx(request) else "expertise/experts.html"
    return render(request, template, {"form": form, "experts": experts, "error": error})
