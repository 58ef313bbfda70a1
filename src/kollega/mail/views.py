"""The mail settings page, and one-click unsubscribe from a mail (no sign-in needed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kollega.digests.models import DigestChoice
from kollega.digests.services import digest_choice, set_mail_preferences
from kollega.mail import unsubscribe as unsubscribing
from kollega.notifications.models import MailChoice, Notification
from kollega.notifications.services import mail_choices
from kollega.web.helpers import current_person, report_error


def mail_settings(request):
    """For each kind of notification: mail at once, in my digest, or never; and how often
    the digest comes (daily, weekly, none)."""
    person = current_person(request)
    status = 200
    if request.method == "POST":
        kinds = Notification.Kind.values
        chosen = {kind: request.POST[kind] for kind in kinds if kind in request.POST}
        try:
            set_mail_preferences(person, chosen, request.POST.get("digest"))
        except ValidationError as error:
            report_error(request, error)
            status = 400
        else:
            messages.success(request, _("Your mail settings are saved."))
            return redirect("mail_settings")
    choices = mail_choices(person)
    rows = [(kind, label, choices[kind]) for kind, label in Notification.Kind.choices]
    context = {
        "rows": rows,
        "choices": MailChoice.choices,
        "address": person.email,
        "digest_choices": DigestChoice.choices,
        "digest_chosen": digest_choice(person),
    }
    return render(request, "mail/settings.html", context, status=status)


# A mail client's one-click POST (RFC 8058) carries no session and no CSRF token: the
# signed token in the address is the only key, and it can do one thing only.
@csrf_exempt
@login_not_required
def unsubscribe(request, token: str):
    """GET: say what the link turns off and ask to confirm; POST: turn it off."""
    found = unsubscribing.read(token)
    if found is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True}, status=400)
    person, kinds = found
    labels = [label for kind, label in Notification.Kind.choices if kind in kinds]
    if unsubscribing.DIGEST in kinds:
        labels.append(_("Your digest"))
    if request.method == "POST":
        unsubscribing.turn_off(person, kinds)
        return render(request, "mail/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "mail/unsubscribe.html", {"labels": labels, "token": token})
