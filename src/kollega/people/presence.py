"""When people were last seen: whether a colleague is around to answer now.

Every signed-in request, through the web or the API, notes its person as
seen (`note_seen`, from `PersonSeenMiddleware`). Django's `last_login` alone
would not do: a sign-in lasts two weeks, so someone who reads every day
could look a fortnight away. The note is written at most once per
`SEEN_EVERY` per person, so reading pages costs no write.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone

from kollega.people.models import Person

SEEN_EVERY = timedelta(minutes=30)


def note_seen(person: Person, now: datetime | None = None) -> bool:
    """Note that `person` is here now, unless noted within `SEEN_EVERY`; True if written.

    Uses the `last_seen_at` already loaded with `person`, so a request that
    needs no note reads nothing either.
    """
    now = now or timezone.now()
    if person.last_seen_at is not None and now - person.last_seen_at < SEEN_EVERY:
        return False
    Person.objects.filter(pk=person.pk).update(last_seen_at=now)
    person.last_seen_at = now
    return True


def last_seen(people: Iterable[int]) -> dict[int, datetime]:
    """When each of `people` was last seen: a request or a sign-in, whichever is later.

    People never seen (e.g. imported and never signed in) are left out.
    """
    found = {}
    rows = Person.objects.filter(pk__in=list(people)).values_list(
        "pk", "last_seen_at", "user__last_login"
    )
    for pk, request_at, login_at in rows:
        times = [t for t in (request_at, login_at) if t is not None]
        if times:
            found[pk] = max(times)
    return found
