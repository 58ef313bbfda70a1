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
from kollega.mail.replies import reply_address
from kollega.notifications.models import MailChoice, Notification
from kollega.notifications.services import mail_choices, notifications_for
from kollega.people.models import Person

# The most items one mail lists; the rest are on the notifications page it links to.
ITEMS_PER_MAIL = 20
# The most people one round of the periodic job writes to; the rest wait a minute.
PEOPLE_PER_ROUND = 1000

KIND = "notifications"

# Notifications about one thread that a reply can answer (a question) or comment on (a post).
REPLYABLE_KINDS = {
    Notification.Kind.QUESTION_SENT,
    Notification.Kind.QUESTION_REFERRED,
    Notification.Kind.QUESTION_ANSWERED,
    Notification.Kind.MENTION,
    Notification.Kind.COMMENT,
    Notification.Kind.BOARD_POST,
}

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


def _reply_to(person: Person, notifications: list[Notification]) -> tuple[str | None, str]:
    """The reply address of a mail about one thread, and the line that tells what a reply does.

    A mail about several threads, or about something else (an invitation), has
    no reply address: its line says replies are not read. So does every mail
    when `KOLLEGA_REPLY_ADDRESS` is not set.
    """
    threads = {(n.post_id, _answer_of(n)) for n in notifications}
    address = None
    if (
        len(threads) == 1
        and notifications[0].post_id
        and all(n.kind in REPLYABLE_KINDS for n in notifications)
    ):
        [(post_id, answer_id)] = threads
        address = reply_address(person.pk, post_id, answer_id)
    if address is None:
        return None, _("Replies to this mail are not read; answer on Kollega.")
    if _answer_of(notifications[0]):
        return address, _("Reply to this mail to comment on the answer (write above the quote).")
    if hasattr(notifications[0].post, "question"):
        return address, _("Reply to this mail to answer the question (write above the quote).")
    return address, _("Reply to this mail to comment on the post (write above the quote).")


def _answer_of(notification: Notification) -> int | None:
    """The answer a reply to this notification comments on: the new answer to a question."""
    if notification.kind == Notification.Kind.QUESTION_ANSWERED:
        return notification.answer_id
    return None


def _mail(person: Person, notifications: list[Notification]) -> Delivery:
    shown = notifications[:ITEMS_PER_MAIL]
    with in_language_of(person):
        reply_to, reply_line = _reply_to(person, notifications)
        items = [notification_item(person, n) for n in shown]
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
                "reply_line": reply_line,
            },
            turns_off=sorted({n.kind for n in notifications}),
            reply_to=reply_to,
        )


def notification_item(person: Person, notification: Notification) -> dict:
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
