"""Mails as people receive them: in their language, with absolute links and a way out.

`compose_mail` renders a template pair (`NAME.txt`, `NAME.html`, each extending
`mail/base.*`) in the recipient's language, adds the footer link to their mail
settings and the RFC 8058 one-click unsubscribe headers, and queues the result
(`services.queue_mail`). An unsubscribe link carries a signed token naming the
person and the kinds of mail it turns off; it needs no sign-in.
"""

import re
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kollega.mail.models import Delivery
from kollega.mail.services import queue_mail, site_url
from kollega.people.models import Person

UNSUBSCRIBE_SALT = "kollega.mail.unsubscribe"


@contextmanager
def in_language_of(person: Person):
    """Translate what is rendered inside into the person's language (else the site's)."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        yield


def unsubscribe_token(person: Person, kinds: list[str]) -> str:
    """A token that turns off these kinds of mail for this person, and nothing else."""
    return signing.dumps([person.pk, sorted(set(kinds))], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """(person id, kinds) of a token this site signed; `signing.BadSignature` otherwise."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], list)
        and all(isinstance(kind, str) for kind in value[1])
    ):
        raise signing.BadSignature("Not an unsubscribe token.")
    return value[0], value[1]


_RELATIVE_LINK = re.compile(r'(href|src)="(/[^/"][^"]*|/)"')


def absolute_links(html: str) -> str:
    """Every `href="/…"` of a page fragment as a link on KOLLEGA_SITE_URL."""
    return _RELATIVE_LINK.sub(lambda m: f'{m.group(1)}="{site_url(m.group(2))}"', html)


def compose_mail(
    person: Person,
    *,
    kind: str,
    subject: str,
    template: str,
    context: dict,
    turns_off: list[str],
    reply_to: str | None = None,
) -> Delivery:
    """Render `template` for `person` and queue it; call inside `in_language_of(person)`.

    `turns_off` are the kinds of mail (notification kinds) that the one-click
    unsubscribe of this mail sets to "never". `reply_to`: the signed reply
    address replies to this mail go to (`kollega.mail.replies`), if any.
    """
    token = unsubscribe_token(person, turns_off)
    unsubscribe_url = site_url(reverse("mail_unsubscribe", args=[token]))
    context = {
        **context,
        "person": person,
        "site_url": settings.KOLLEGA_SITE_URL,
        "settings_url": site_url(reverse("mail_settings")),
        "unsubscribe_url": unsubscribe_url,
        "subject": subject,
    }
    text = render_to_string(f"{template}.txt", context)
    html = absolute_links(render_to_string(f"{template}.html", context))
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "Content-Language": translation.get_language(),
    }
    if reply_to:
        headers["Reply-To"] = reply_to
    return queue_mail(
        person, kind=kind, subject=subject, text=_tidy(text), html=html, headers=headers
    )


def _tidy(text: str) -> str:
    """Plain text without the blank-line runs template tags leave."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
