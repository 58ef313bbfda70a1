"""Listening's pages: the shared inbox, a mention, the overview, each source's page, and
one's external accounts (ambassadors). Thin wrappers around the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.insights.charts import draw
from kollega.insights.forms import InsightsFilter
from kollega.insights.panels import panel as registered_panel
from kollega.insights.services import panel_figures, selection_for
from kollega.listening import ambassadors, mentions, services
from kollega.permissions.listening import may_listen, may_use_inbox
from kollega.web.helpers import current_person, report_error
from kollega.web.once import submitted_once

INBOX_MENTIONS = 100  # open mentions on one page, oldest first: the backlog to work through


def inbox(request):
    """Open mentions, oldest first, with the actions each allows; the sources; response times."""
    person = current_person(request)
    team = may_listen(person)
    context = {
        "mentions": mentions.inbox(person)[:INBOX_MENTIONS],
        "show_sources": team,
        "sources": services.listening_sources(person) if team else [],
        "response_times": mentions.response_times(person),
    }
    return render(request, "listening/inbox.html", context)


def mention(request, mention_id: int):
    """One mention: the item, its state and response time, internal comments, and the forms
    to assign, answer, dismiss, comment and share it with colleagues."""
    person = current_person(request)
    found = mentions.visible_mention(person, mention_id)
    context = {
        "mention": found,
        "comments": mentions.comments(person, found),
        "colleagues": mentions.assignable_people(person, found),
    }
    return render(request, "listening/mention.html", context)


def overview(request):
    """Volume per term and day, share of voice, response times (the insights panels for the
    last eight weeks) and the open mentions, oldest first."""
    person = current_person(request)
    if not may_use_inbox(person):
        raise PermissionDenied(_("Listening is for staff and the listening team."))
    dates = InsightsFilter.clean_defaults()
    selection = selection_for(person, dates["start"], dates["end"])
    panels = []
    for key in ("listening-mentions", "listening-response"):
        shown = registered_panel(key)
        figures = panel_figures(selection, shown)
        panels.append((shown, figures, [(chart, draw(chart)) for chart in figures.charts]))
    context = {
        "panels": panels,
        "open_mentions": mentions.inbox(person)[:INBOX_MENTIONS],
        "query": "",
    }
    return render(request, "listening/overview.html", context)


def source(request, source_id: int):
    """A source: how its last poll went (the last error, back-off) and its newest items."""
    person = current_person(request)
    found = services.visible_source(person, source_id)
    context = {"source": found, "items": found.items.newest_first()[:50]}
    return render(request, "listening/source.html", context)


def _back(request, mention_id: int):
    if request.POST.get("next") == "mention":
        return redirect(reverse("listening_mention", args=[mention_id]))
    return redirect(reverse("listening_inbox"))


@require_POST
@submitted_once
def act_on_mention(request, mention_id: int, action: str):
    """Take (assign to me) or assign, mark answered, dismiss with a reason, comment, or
    turn into a question or post for colleagues."""
    person = current_person(request)
    found = mentions.visible_mention(person, mention_id)
    try:
        if action == "take":
            mentions.assign_mention(person, found, person)
            messages.success(request, _("The mention is yours to answer."))
        elif action == "assign":
            assignee = mentions.assignable_person(request.POST.get("assignee"))
            mentions.assign_mention(person, found, assignee)
            messages.success(request, _("Assigned to %(name)s.") % {"name": assignee.name})
        elif action == "answer":
            mentions.answer_mention(person, found)
            messages.success(request, _("Marked answered."))
        elif action == "dismiss":
            mentions.dismiss_mention(person, found, request.POST.get("reason", ""))
            messages.success(request, _("Dismissed."))
        elif action == "comment":
            mentions.comment_on_mention(person, found, request.POST.get("body", ""))
            messages.success(request, _("Comment added."))
        elif action == "share":
            post = mentions.turn_into_post(
                person,
                found,
                as_question=request.POST.get("as") != "post",
                note=request.POST.get("note", ""),
                guard_override=request.POST.get("guard_override") or None,
            )
            messages.success(request, _("Shared with colleagues."))
            return redirect(post.get_absolute_url())
    except ValidationError as error:
        report_error(request, error)
    return _back(request, mention_id)


def accounts(request):
    """One's external accounts (a Mastodon handle, a blog feed), and the ambassadors list."""
    person = current_person(request)
    context = {
        "accounts": ambassadors.accounts_of(person),
        "ambassadors": ambassadors.leading_ambassadors(),
        "kinds": ambassadors.ExternalAccount.Kind.choices,
    }
    return render(request, "listening/accounts.html", context)


@require_POST
@submitted_once
def add_account(request):
    person = current_person(request)
    try:
        ambassadors.add_account(
            person, request.POST.get("kind", ""), request.POST.get("address", "")
        )
        messages.success(request, _("Account added: Kollega reads it from now on."))
    except ValidationError as error:
        report_error(request, error)
    return redirect(reverse("listening_accounts"))


@require_POST
@submitted_once
def remove_account(request, account_id: int):
    person = current_person(request)
    ambassadors.remove_account(person, account_id)
    messages.success(request, _("Account removed."))
    return redirect(reverse("listening_accounts"))
