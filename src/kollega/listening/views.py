"""Listening's pages: the shared inbox of mentions and each source's page. Thin wrappers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.listening import mentions, services
from kollega.web.helpers import current_person, report_error
from kollega.web.once import submitted_once

INBOX_MENTIONS = 100  # open mentions on one page, oldest first: the backlog to work through


def inbox(request):
    """Open mentions, oldest first, with the actions each allows; the sources; response times."""
    person = current_person(request)
    context = {
        "mentions": mentions.inbox(person)[:INBOX_MENTIONS],
        "sources": services.listening_sources(person),
        "response_times": mentions.response_times(person),
    }
    return render(request, "listening/inbox.html", context)


def source(request, source_id: int):
    """A source: how its last poll went (the last error, back-off) and its newest items."""
    person = current_person(request)
    found = services.visible_source(person, source_id)
    context = {"source": found, "items": found.items.newest_first()[:50]}
    return render(request, "listening/source.html", context)


@require_POST
@submitted_once
def act_on_mention(request, mention_id: int, action: str):
    """Take (assign to me), mark answered, or dismiss with a reason."""
    person = current_person(request)
    mention = mentions.visible_mention(person, mention_id)
    try:
        if action == "take":
            mentions.assign_mention(person, mention, person)
            messages.success(request, _("The mention is yours to answer."))
        elif action == "answer":
            mentions.answer_mention(person, mention)
            messages.success(request, _("Marked answered."))
        elif action == "dismiss":
            mentions.dismiss_mention(person, mention, request.POST.get("reason", ""))
            messages.success(request, _("Dismissed."))
    except ValidationError as error:
        report_error(request, error)
    return redirect(reverse("listening_inbox"))
