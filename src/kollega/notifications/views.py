"""The notifications page and the unread badge the top bar polls."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kollega.notifications import services
from kollega.web.helpers import current_person


def notification_list(request):
    """My notifications, newest first; opening the page marks them read."""
    person = current_person(request)
    items = list(services.notifications_for(person)[:100])
    response = render(request, "notifications/list.html", {"notifications": items})
    services.mark_all_read(person)
    return response


def badge(request):
    """The unread count, refreshed by htmx without a reload."""
    person = current_person(request)
    return render(
        request,
        "notifications/_badge.html",
        {"unread_notifications": services.unread_count(person)},
    )


@require_POST
def read_all(request):
    """Mark every notification read."""
    services.mark_all_read(current_person(request))
    return redirect("notifications")
