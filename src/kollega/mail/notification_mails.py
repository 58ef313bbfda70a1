"""Notifications by mail, at once: a person's burst of notifications becomes one mail.

`notifications.services.notify` marks a notification whose kind the recipient
wants at once with `mail_due_at` = now + `MAIL_BURST_WINDOW` (2 minutes). The periodic job
(`tasks.send_mail`, every minute) takes each person with a due notification and
makes one mail of all their waiting ones: whatever arrived within the window
after the first joins it, so ten notifications in a minute are one mail.

Each item is checked when the mail is made, not when it was noticed: a
notification the person may no longer see (a post in a community they left, a
withdrawn invitation) is left out, and so is a kind they have since set to
"in my digest" or "never". Taking the notifications (clearing `mail_due_at`)
and queueing the mail happen in one transaction, so each goes out once.
"""

import html
import re

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kollega.mail.compose import absolute_links, compose_mail, in_language_of
from kollega.mail.models import Delivery
from kollega.notifications.models import MailChoice, Notification
from kollega.notifications.services import mail_choices, notifications_for
from kollega.people.models import Person

# The most items one mail lists; the rest are on the notifications page it links to.
ITEMS_PER_MAIL = 20
# The most people one round of the periodic job writes to; the rest wait a minute.
PEOPLE_PER_ROUND = 1000

KIND = "notifications"

_LINK = re.compile(r'href="([^"]+)"')


def mail_due_notifications(now=None) -> int:
    """Make the mail of every person whose burst is complete; returns how many were made."""
    now = now or timezone.now()
    people = (
        Notification.objects.filter(mail_due_at__lte=now)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()[:PEOPLE_PER_ROUND]
    )
    made = 0
    for person in Person.objects.filter(pk__in=list(people)).select_related("user"):
        made += mail_notifications_of(person, now) is not None
    return made


@transaction.atomic
def mail_notifications_of(person: Person, now=None) -> Delivery | None:
    """One mail of the notifications waiting for `person`, if the first of them is due."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(recipient=person, mail_due_at__isnull=False)
    waiting_ids = list(waiting.select_for_update().values_list("pk", flat=True))
    if not waiting.filter(mail_due_at__lte=now).exists():
        return None
    Notification.objects.filter(pk__in=waiting_ids).update(mail_due_at=None)
    if not person.user.is_active:
        return None
    choices = mail_choices(person)
    wanted = [kind for kind, choice in choices.items() if choice == MailChoice.AT_ONCE]
    notifications = list(
        notifications_for(person)
        .filter(pk__in=waiting_ids, kind__in=wanted)
        .select_related("community", "wiki_page", "moderation", "post__author")
        .order_by("created_at", "pk")
    )
    if not notifications:
        return None
    return _mail(person, notifications)


def _mail(person: Person, notifications: list[Notification]) -> Delivery:
    shown = notifications[:ITEMS_PER_MAIL]
    with in_language_of(person):
        items = [_item(person, n) for n in shown]
        if len(notifications) == 1:
            subject = items[0]["text"]
        else:
            subject = ngettext(
                "%(count)d new notification on Kollega",
                "%(count)d new notifications on Kollega",
                len(notifications),
            ) % {"count": len(notifications)}
        return compose_mail(
            person,
            kind=KIND,
            subject=subject,
            template="mail/notifications",
            context={
                "items": items,
                "more": len(notifications) - len(shown),
                "all_url": "/notifications/",
                "intro": _("This happened on Kollega:"),
            },
            turns_off=sorted({n.kind for n in notifications}),
        )


def _item(person: Person, notification: Notification) -> dict:
    """One notification as the notifications page words it: HTML, plain text and its link."""
    fragment = render_to_string(
        "notifications/_item.html", {"n": notification, "me": person}
    ).strip()
    fragment = absolute_links(fragment).replace(
        '<div class="excerpt">',
        '<div class="excerpt" style="color:#555555;font-size:14px;margin-top:4px;">',
    )
    link = _LINK.search(fragment)
    sentence, _newline, excerpt = fragment.partition('<div class="excerpt"')
    return {
        "html": fragment,
        "text": _plain(sentence),
        "excerpt": _plain("<div" + excerpt) if excerpt else "",
        "url": html.unescape(link.group(1)) if link else "",
    }


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment)).split())
