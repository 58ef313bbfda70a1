"""Ambassadors: colleagues' own accounts outside (a Mastodon handle, a blog feed), read
like any source, and how often and how far they speak for the organisation.

An account is a `Source` of its own (`ExternalAccount.source`), so the periodic
poll reads it with the same limits, back-off and SSRF guard. Its items are
matched against the watch terms like any others but open no mentions in the
inbox: a colleague naming the brand is not something to answer. Anyone signed
in may add their accounts and see the list of ambassadors (what they count is
public outside anyway).
"""

import re
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollega import texts
from kollega.limits import LISTENING_ACCOUNT_MAX_COUNT, LISTENING_URL_MAX_CHARS
from kollega.listening.models import ExternalAccount, Item, Source, Term
from kollega.people.models import Person
from kollega.permissions import NotFound

HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,30})@((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63})$")
ACCOUNT_POLL_INTERVAL = timedelta(hours=1)  # an ambassador's posts need no minute's notice
LISTED = 20  # ambassadors on the list


def accounts_of(person):
    """`person`'s own external accounts, with their sources' poll state."""
    return ExternalAccount.objects.filter(person=person).select_related("source")


def _checked_address(kind: str, address: str) -> tuple[str, dict]:
    """The address as stored and the source's fields; a ValidationError saying how it
    should look otherwise."""
    address = texts.clean(address, one_line=True)
    if kind == ExternalAccount.Kind.MASTODON:
        found = HANDLE.match(address)
        if not found:
            raise ValidationError(
                _("A Mastodon handle looks like @name@server.example."), code="bad_handle"
            )
        user, server = found.group(1), found.group(2).lower()
        return f"@{user}@{server}", {
            "kind": Source.Kind.MASTODON_ACCOUNT,
            "url": f"https://{server}",
            "target": f"{user}@{server}",
        }
    if kind == ExternalAccount.Kind.FEED:
        parts = urlsplit(address)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or len(address) > LISTENING_URL_MAX_CHARS
        ):
            raise ValidationError(
                _("A blog feed is its web address, starting with https://."), code="bad_feed"
            )
        return address, {"kind": Source.Kind.FEED, "url": address}
    raise ValidationError(_("Choose a Mastodon account or a blog feed."), code="bad_kind")


def _source_name(person, address: str) -> str:
    base = f"{person.user.username}: {address}"[:90]
    name, n = base, 1
    while Source.objects.filter(name=name).exists():
        n += 1
        name = f"{base} ({n})"
    return name


@transaction.atomic
def add_account(person, kind: str, address: str) -> ExternalAccount:
    """Add one of `person`'s accounts outside; Kollega reads it from the next poll on.

    A handle or feed address that cannot be one, one already added, or more than
    `LISTENING_ACCOUNT_MAX_COUNT` accounts: a ValidationError, nothing saved.
    """
    address, fields = _checked_address(kind, address)
    if ExternalAccount.objects.filter(person=person, kind=kind, address=address).exists():
        raise ValidationError(_("You have already added this account."), code="duplicate")
    if ExternalAccount.objects.filter(person=person).count() >= LISTENING_ACCOUNT_MAX_COUNT:
        raise ValidationError(
            _("At most %(limit)d accounts.") % {"limit": LISTENING_ACCOUNT_MAX_COUNT},
            code="too_many",
        )
    source = Source.objects.create(
        name=_source_name(person, address), poll_interval=ACCOUNT_POLL_INTERVAL, **fields
    )
    return ExternalAccount.objects.create(person=person, kind=kind, address=address, source=source)


@transaction.atomic
def remove_account(person, account_id: int) -> None:
    """Stop reading one of `person`'s accounts; what was read from it goes too."""
    account = ExternalAccount.objects.filter(person=person, pk=account_id).first()
    if account is None:
        raise NotFound()
    account.source.delete()  # the account goes with its source


def is_account_source(source: Source) -> bool:
    """True if `source` reads a colleague's own account (whose items are never answered)."""
    return ExternalAccount.objects.filter(source=source).exists()


def leading_ambassadors(limit: int = LISTED) -> list[dict]:
    """The colleagues whose own accounts name the brand and product terms most: for each,
    the items naming them, and how far those travelled (boosts, favourites, replies)."""
    ours = set(
        Term.objects.filter(kind__in=[Term.Kind.BRAND, Term.Kind.PRODUCT]).values_list(
            "phrase", flat=True
        )
    )
    if not ours:
        return []
    rows = Item.objects.filter(
        source__account__isnull=False, source__account__person__user__is_active=True
    ).values_list(
        "source__account__person_id",
        "source__account__person__name",
        "matched_terms",
        "boosts",
        "favourites",
        "replies",
    )
    people = defaultdict(lambda: {"items": 0, "boosts": 0, "favourites": 0, "replies": 0})
    names = {}
    for person_id, name, matched, boosts, favourites, replies in rows:
        if not ours.intersection(matched or []):
            continue
        names[person_id] = name
        counts = people[person_id]
        counts["items"] += 1
        counts["boosts"] += boosts or 0
        counts["favourites"] += favourites or 0
        counts["replies"] += replies or 0
    listed = [
        {"person_id": pk, "name": names[pk], **counts,
         "reach": counts["boosts"] + counts["favourites"] + counts["replies"]}
        for pk, counts in people.items()
    ]  # fmt: skip
    listed.sort(key=lambda row: (-row["items"], -row["reach"], row["name"]))
    listed = listed[:limit]
    found = Person.objects.in_bulk([row["person_id"] for row in listed])
    for row in listed:
        row["person"] = found[row["person_id"]]
    return listed
