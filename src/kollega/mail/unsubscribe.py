"""One-click unsubscribe (RFC 8058): a signed link turns some kinds of mail off."""

import logging

from django.core import signing

from kollega.digests.models import DigestChoice
from kollega.digests.services import KIND as DIGEST
from kollega.digests.services import set_digest_choice
from kollega.mail.compose import read_unsubscribe_token
from kollega.notifications.models import MailChoice, Notification
from kollega.notifications.services import set_mail_choices
from kollega.people.models import Person

logger = logging.getLogger(__name__)


def read(token: str) -> tuple[Person, list[str]] | None:
    """The person and the kinds of mail a token turns off; None for a forged or stale one."""
    try:
        person_id, kinds = read_unsubscribe_token(token)
    except signing.BadSignature:
        logger.info("Unsubscribe refused: the token is not one Kollega signed")
        return None
    person = Person.objects.select_related("user").filter(pk=person_id).first()
    kinds = [kind for kind in kinds if kind in Notification.Kind.values or kind == DIGEST]
    if person is None or not kinds:
        return None
    return person, kinds


def turn_off(person: Person, kinds: list[str]) -> None:
    """Set each of `kinds` to "never" for `person` (the one thing a token can do); the
    digest's token sets their digest to none."""
    if DIGEST in kinds:
        set_digest_choice(person, DigestChoice.NONE)
    kinds_of_notification = [kind for kind in kinds if kind != DIGEST]
    set_mail_choices(person, dict.fromkeys(kinds_of_notification, MailChoice.NEVER))
    logger.info("%s unsubscribed from %s", person.user.username, ", ".join(kinds))
