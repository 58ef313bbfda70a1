"""Listening's rules: polling sources, storing their items once, ingesting saved files, reading.

Polling one source (`poll_source`) fetches what is new (conditional GET for
feeds; `since_id` and the `Link` header for Mastodon), stores each item once
per source (by GUID, link or status id), and records on the source how it
went: errors reset and the next poll one interval on, or the error's message,
one more consecutive error and the next poll pushed back (doubling with each
error, at most a day, never sooner than a server's `Retry-After`). Nothing
stored is ever removed by a failed poll. `poll_due_sources` polls every due
source; one source failing, even unexpectedly, never stops the others.
"""

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kollega.limits import LISTENING_FETCH_MAX_BYTES as FILE_MAX_BYTES
from kollega.limits import LISTENING_SOURCE_NAME_MAX_CHARS as NAME_MAX_CHARS
from kollega.listening.ambassadors import is_account_source
from kollega.listening.fetching import FetchError, fetch
from kollega.listening.matching import Matcher
from kollega.listening.models import Item, Mention, Source, Term
from kollega.listening.readers import ItemData, ReadError, plain_text, read_feed, read_statuses
from kollega.permissions import NotFound
from kollega.permissions.listening import may_listen

logger = logging.getLogger(__name__)

LONGEST_BACKOFF = timedelta(days=1)
MASTODON_PAGE_ITEMS = 40  # the most Mastodon gives per page
MASTODON_PAGES_PER_POLL = 5  # a poll reads at most 200 new statuses; the next poll goes on
LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";]+)"?')
UPDATED_FIELDS = [
    "title", "url", "author", "content_html", "extras", "boosts", "favourites", "replies",
]  # fmt: skip


@dataclass
class PollOutcome:
    source: str
    new: int = 0
    read: int = 0
    error: str = ""
    not_modified: bool = False


@dataclass
class IngestOutcome:
    file: str
    items: int = 0
    error: str | None = None

    def as_dict(self) -> dict:
        return {"file": self.file, "items": self.items, "error": self.error}


# --- storing --------------------------------------------------------------------------------


def current_matcher() -> Matcher:
    """Every watch term, ready to match items."""
    return Matcher(Term.objects.values_list("phrase", flat=True))


def matched_terms(matcher: Matcher, item) -> list[str]:
    """The terms an item's title and text match."""
    return matcher.matches(f"{item.title}\n{plain_text(item.content_html)}")


def store_items(source: Source, items: Iterable[ItemData], matcher: Matcher | None = None) -> int:
    """Store `items` for `source`, each once; answer how many were new.

    An item already stored (same external id) is updated in place when its
    text or counts changed; its first-seen time and date stay. Each item is
    matched against the watch terms (`matched_terms`), and each match of a new
    item, or a new match of a changed one, becomes a mention in the inbox.
    """
    items = list(items)
    matcher = matcher or current_matcher()
    with transaction.atomic():
        existing = {
            item.external_id: item
            for item in source.items.filter(external_id__in=[i.external_id for i in items])
        }
        new, changed = [], []
        for data in items:
            fields = {name: getattr(data, name) for name in UPDATED_FIELDS}
            fields["matched_terms"] = matched_terms(matcher, data)
            old = existing.get(data.external_id)
            if old is None:
                new.append(
                    Item(source=source, external_id=data.external_id, published=data.published,
                         **fields)
                )  # fmt: skip
            elif any(getattr(old, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(old, name, value)
                old.save(update_fields=[*fields, "updated_at"])
                changed.append(old)
        # Another worker may store the same item meanwhile: the constraint keeps it once.
        Item.objects.bulk_create(new, ignore_conflicts=True)
        matching = [i.external_id for i in new if i.matched_terms]
        # A colleague's own account (an ambassador's) is counted, never answered.
        if not is_account_source(source):
            _open_mentions([*source.items.filter(external_id__in=matching), *changed])
    return len(new)


def _open_mentions(items: list[Item]) -> None:
    """A mention for each (item, term) match not yet in the inbox; each term's owner is told
    of each new one (`notify_owners`)."""
    phrases = {phrase for item in items for phrase in item.matched_terms}
    if not phrases:
        return
    terms = dict(Term.objects.filter(phrase__in=phrases).values_list("phrase", "pk"))
    before = set(Mention.objects.filter(item__in=items).values_list("item_id", "term_id"))
    wanted = {
        (item.pk, terms[phrase])
        for item in items
        for phrase in item.matched_terms
        if phrase in terms
    } - before
    Mention.objects.bulk_create(
        [Mention(item_id=item_id, term_id=term_id) for item_id, term_id in wanted],
        ignore_conflicts=True,
    )
    if wanted:
        created = Mention.objects.filter(
            item__in=[item_id for item_id, _t in wanted]
        ).select_related("term")
        notify_owners([m for m in created if (m.item_id, m.term_id) in wanted])


def term_owners(term: Term) -> list:
    """Who is told of a term's new mentions: its owner, or its community's owners."""
    from kollega.communities.models import Membership
    from kollega.people.models import Person

    if term.owner_person_id:
        return [term.owner_person]
    if term.owner_community_id:
        owners = Membership.objects.filter(
            community_id=term.owner_community_id, role=Membership.Role.OWNER
        ).values("person_id")
        return list(Person.objects.filter(pk__in=owners).select_related("user"))
    return []


def notify_owners(mentions: list[Mention]) -> None:
    """Tell each term's owner (a person, or its community's owners) of its new mentions,
    by a notification, and by mail as each wants mail of this kind."""
    from kollega.notifications.models import Notification
    from kollega.notifications.services import notify_from_outside

    owners: dict[int, list] = {}
    for mention in mentions:
        if mention.term_id not in owners:
            owners[mention.term_id] = term_owners(mention.term)
        for owner in owners[mention.term_id]:
            notify_from_outside(
                owner, Notification.Kind.LISTENING_MENTION, listening_mention=mention
            )


# --- polling --------------------------------------------------------------------------------


def poll_source(source: Source, now: datetime | None = None) -> PollOutcome:
    """Poll one source now and record the outcome on it (see the module's docstring)."""
    now = now or timezone.now()
    outcome = PollOutcome(source=source.name)
    try:
        if source.is_mastodon:
            state, notes = _poll_mastodon(source, outcome)
        else:
            state, notes = _poll_feed(source, outcome)
    except (FetchError, ReadError) as error:
        outcome.error = str(error)
        _record_failure(source, now, outcome.error, getattr(error, "retry_after", None))
        return outcome
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=now,
        last_success_at=now,
        last_error="",
        last_notes="\n".join(notes),
        consecutive_errors=0,
        next_poll_at=now + source.poll_interval,
        **state,
    )
    return outcome


def _record_failure(source: Source, now: datetime, message: str, retry_after: int | None):
    errors = source.consecutive_errors + 1
    delay = min(source.poll_interval * 2 ** min(errors, 16), LONGEST_BACKOFF)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=min(retry_after, 7 * 24 * 3600)))
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=now,
        last_error=message[:2000],
        consecutive_errors=errors,
        next_poll_at=now + delay,
    )
    logger.info("Listening source %s failed (%d in a row): %s", source.name, errors, message)


def _poll_feed(source: Source, outcome: PollOutcome) -> tuple[dict, list[str]]:
    if not source.url:
        raise FetchError("The source has no address to fetch.")
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    response = fetch(source.url, headers)
    if response.status == 304:
        outcome.not_modified = True
        return {}, ["Not modified since the last poll."]
    result = read_feed(response.body, response.headers.get("content-type", ""), response.url)
    outcome.read = len(result.items)
    outcome.new = store_items(source, result.items)
    # Only once the items are stored: a failed read fetches the whole feed again next time.
    state = {
        "etag": response.headers.get("etag", "")[:500],
        "last_modified": response.headers.get("last-modified", "")[:100],
    }
    return state, result.notes


def mastodon_timeline_url(source: Source, account_id: str = "") -> str:
    """The REST address of the source's timeline (tag, account or public)."""
    base = source.url.rstrip("/")
    if not base:
        raise FetchError("The source has no Mastodon server address.")
    if source.kind == Source.Kind.MASTODON_TAG:
        tag = source.target.strip().lstrip("#")
        if not tag:
            raise FetchError("The source names no hashtag.")
        return f"{base}/api/v1/timelines/tag/{quote(tag, safe='')}"
    if source.kind == Source.Kind.MASTODON_ACCOUNT:
        return f"{base}/api/v1/accounts/{quote(account_id, safe='')}/statuses"
    return f"{base}/api/v1/timelines/public"


def _mastodon_headers(source: Source) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if source.access_token:
        headers["Authorization"] = f"Bearer {source.access_token}"
    return headers


def _account_id(source: Source) -> str:
    """The account's id: given as digits, or looked up from `user@server`."""
    target = source.target.strip().lstrip("@")
    if not target:
        raise FetchError("The source names no account.")
    if target.isdigit():
        return target
    url = f"{source.url.rstrip('/')}/api/v1/accounts/lookup?{urlencode({'acct': target})}"
    response = fetch(url, _mastodon_headers(source))
    try:
        found = json.loads(response.body)
        return str(found["id"])
    except (ValueError, TypeError, KeyError) as error:
        raise ReadError(f"The server did not say which account {target} is.") from error


def _with_params(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update({k: v for k, v in params.items() if v})
    return urlunsplit(parts._replace(query=urlencode(query)))


def link_header(value: str) -> dict[str, str]:
    """`Link: <url>; rel="next", <url>; rel="prev"` as {rel: url}."""
    return {rel.strip(): url for url, rel in LINK_RE.findall(value or "")}


def _status_order(status_id: str) -> tuple[int, str]:
    return (len(status_id), status_id)  # Mastodon ids are growing numbers written as text


def _poll_mastodon(source: Source, outcome: PollOutcome) -> tuple[dict, list[str]]:
    """Read new statuses newest first, page by page (`Link: rel="next"`), down to `since_id`.

    Each page is stored as it arrives; `since_id` moves only when every page
    was read, so a poll cut short (a 429) is taken up again by the next one.
    The first poll reads one page: a listening source starts from now.
    """
    account_id = _account_id(source) if source.kind == Source.Kind.MASTODON_ACCOUNT else ""
    url = _with_params(
        mastodon_timeline_url(source, account_id),
        limit=str(MASTODON_PAGE_ITEMS),
        since_id=source.since_id,
    )
    newest, notes = source.since_id, []
    for _page in range(MASTODON_PAGES_PER_POLL):
        response = fetch(url, _mastodon_headers(source))
        result = read_statuses(response.body)
        notes += result.notes
        outcome.read += len(result.items)
        outcome.new += store_items(source, result.items)
        for item in result.items:
            if not newest or _status_order(item.external_id) > _status_order(newest):
                newest = item.external_id
        following = link_header(response.headers.get("link", "")).get("next")
        if not source.since_id or len(result.items) < MASTODON_PAGE_ITEMS or not following:
            break
        url = _with_params(following, since_id=source.since_id)
    else:
        notes.append(
            f"More than {MASTODON_PAGES_PER_POLL} pages were new; the rest is read next time."
        )
    return {"since_id": newest[:100]}, notes


def poll_sources(
    sources: Iterable[Source], progress: Callable[[PollOutcome], None] | None = None
) -> list[PollOutcome]:
    """Poll each source in turn; an unexpected failure is recorded and the next one polled."""
    outcomes = []
    for source in sources:
        try:
            outcome = poll_source(source)
        except Exception as error:  # one broken source must never stop the others
            logger.exception("Polling listening source %s failed", source.name)
            outcome = PollOutcome(source=source.name, error=f"Unexpected error: {error}")
            _record_failure(source, timezone.now(), outcome.error, None)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes


def poll_due_sources(now: datetime | None = None) -> list[PollOutcome]:
    """Poll every source whose next poll time has come (the periodic task)."""
    return poll_sources(Source.objects.due(now or timezone.now()))


def listening_sources(person):
    """Every source, by name, for the listening team (PermissionDenied for others)."""
    if not may_listen(person):
        raise PermissionDenied("Listening is for staff and the listening team.")
    return Source.objects.all()


def visible_source(person, source_id: int) -> Source:
    """The source, if `person` is on the listening team; else NotFound."""
    if not may_listen(person):
        raise NotFound()
    try:
        return Source.objects.get(pk=source_id)
    except Source.DoesNotExist:
        raise NotFound() from None


def source_named(name: str) -> Source:
    """The source called `name`, or NotFound."""
    try:
        return Source.objects.get(name=name)
    except Source.DoesNotExist:
        raise NotFound(f"No listening source is called {name!r}.") from None


# --- ingesting saved files ------------------------------------------------------------------


def feed_source(name: str) -> Source:
    """The source called `name`, created as a feed source if missing."""
    name = name.strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise ValidationError(f"A source name is 1 to {NAME_MAX_CHARS} characters.")
    source, _created = Source.objects.get_or_create(name=name, defaults={"kind": Source.Kind.FEED})
    return source


def ingest_file(source: Source, path: Path) -> IngestOutcome:
    """Read a saved feed (or Mastodon answer) as if fetched from `source`; store its items.

    Idempotent: ingesting the same file again stores nothing new. The source's
    poll state (errors, next poll) is left as it is: a file is not a poll.
    """
    outcome = IngestOutcome(file=str(path))
    try:
        if path.stat().st_size > FILE_MAX_BYTES:
            outcome.error = f"Larger than {FILE_MAX_BYTES // (1024 * 1024)} MB: not read."
            return outcome
        body = path.read_bytes()
    except OSError as error:
        outcome.error = f"Cannot read the file: {error.strerror or error}."
        return outcome
    try:
        result = read_statuses(body) if source.is_mastodon else read_feed(body)
    except ReadError as error:
        outcome.error = str(error)
        return outcome
    store_items(source, result.items)
    outcome.items = len(result.items)
    return outcome


# --- reading --------------------------------------------------------------------------------


def listening_items(person, source_name: str | None = None):
    """The items `person` may read, newest stored first (only from `source_name`, if given).

    PermissionDenied if `person` is not on the listening team; NotFound for an
    unknown source.
    """
    if not may_listen(person):
        raise PermissionDenied("Listening is for staff and the listening team.")
    items = Item.objects.select_related("source").newest_first()
    if source_name is not None:
        items = items.filter(source=source_named(source_name))
    return items
