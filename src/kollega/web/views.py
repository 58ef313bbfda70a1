"""The home stream and site-wide pages."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from kollega.communities.services import my_communities
from kollega.insights.impressions import record_impressions
from kollega.people.services import update_profile
from kollega.posts.forms import PostForm
from kollega.posts.services import recommended_ids
from kollega.posts.stream import FILTERS, encode_cursor, home_stream, newer_count
from kollega.web.helpers import current_person, own_page


def _filter_name(request) -> str:
    name = request.GET.get("filter", "all")
    return name if name in FILTERS else "all"


def _stream_context(person, name: str, cursor: str | None = None) -> dict:
    page = home_stream(person, name, cursor)
    record_impressions(person, page.posts)  # for the authors' reach (insights)
    return {
        "posts": page.posts,
        "next_cursor": page.next_cursor,
        "recommended": recommended_ids(person, page.posts),
        "filter": name,
    }


def home(request, form: PostForm | None = None, status: int = 200):
    """The home stream with the composer and the filter tabs."""
    person = current_person(request)
    name = _filter_name(request)
    context = _stream_context(person, name)
    context.update(
        filters=FILTERS,
        form=form or PostForm(),
        my_communities=my_communities(person),
        top_cursor=encode_cursor(context["posts"][0]) if context["posts"] else "",
    )
    return render(request, "web/home.html", context, status=status)


def stream_more(request):
    """The next page of the stream (htmx appends it below the last post)."""
    person = current_person(request)
    try:
        context = _stream_context(person, _filter_name(request), request.GET.get("cursor"))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return render(request, "web/_stream_page.html", context)


def stream_newer(request):
    """A banner saying how many threads had activity since the page was loaded."""
    person = current_person(request)
    since = request.GET.get("since", "")
    if not since:
        return HttpResponse("")
    try:
        count = newer_count(person, _filter_name(request), since)
    except ValidationError:
        return HttpResponse("")
    return render(request, "web/_newer.html", {"count": count, "filter": _filter_name(request)})


@require_POST
def set_language(request):
    """Switch the interface language, remembered on the profile and in a cookie."""
    code = request.POST.get("language", "")
    next_url = own_page(request, request.POST.get("next")) or "/"
    if not translation.check_for_language(code):
        return HttpResponseBadRequest("Unknown language")
    person = getattr(request.user, "person", None)
    if person is not None:
        update_profile(person, language=code)
    response = redirect(next_url)
    response.set_cookie("django_language", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
