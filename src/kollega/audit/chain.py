"""The hash chain: appending an entry, verifying the chain, purging its old end.

An entry's hash is SHA-256 over the previous entry's hash, a newline and the
entry's canonical serialisation: its fields as JSON with sorted keys, no
spaces, UTF-8, the time in UTC to the microsecond. Appending locks the one
`ChainHead` row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE
transactions hold the database's write lock), reads the last hash, inserts the
entry and moves the head, all in one transaction: concurrent writers queue for
the head and each gets the next number.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from kollega.audit.models import GENESIS, ChainHead, Entry, _purging

HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "target_kind",
    "target_id",
    "target_label",
    "detail",
    "client_address",
)


def canonical(entry: Entry) -> bytes:
    """The bytes an entry's hash covers (besides the previous hash)."""
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    at: datetime = values["at"]
    values["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hash_of(entry: Entry) -> str:
    return hashlib.sha256(entry.prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


def _locked_head() -> ChainHead:
    """The chain's head row, locked until the transaction ends (created on first use)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def append(fields: dict, *, unless: Callable[[], bool] | None = None) -> Entry | None:
    """Add an entry with `fields` at the end of the chain and return it.

    `unless` is asked with the head locked; if it answers True nothing is added
    (so "once a day" holds under concurrency too).
    """
    with transaction.atomic():
        head = _locked_head()
        if unless is not None and unless():
            return None
        entry = Entry(sequence=head.sequence + 1, prev_hash=head.hash, **fields)
        if entry.at is None:
            entry.at = timezone.now()
        entry.hash = hash_of(entry)
        entry.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(sequence=entry.sequence, hash=entry.hash)
    return entry


@dataclass
class Verification:
    ok: bool
    count: int  # entries checked
    broken: int | None = None  # the sequence number of the first bad entry
    reason: str = ""


def walk(
    *, upto: int | None = None, chunk: int = 2000
) -> Iterator[tuple[int, Verification | None]]:
    """Check the chain from the anchor, yielding (entries checked so far, None) as it goes
    and finally (count, Verification). `upto` stops at that sequence number."""
    head = ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
    expected_sequence, expected_prev = head.anchor_sequence + 1, head.anchor_hash or GENESIS
    count = 0
    entries = Entry.objects.order_by("sequence")
    if upto is not None:
        entries = entries.filter(sequence__lte=upto)
    for entry in entries.iterator(chunk_size=chunk):
        if entry.sequence != expected_sequence:
            missing = f"entry {expected_sequence} is missing"
            bad = expected_sequence if entry.sequence > expected_sequence else entry.sequence
            yield count, Verification(False, count, bad, missing)
            return
        if entry.prev_hash != expected_prev:
            yield count, Verification(False, count, entry.sequence, "does not follow its previous")
            return
        if hash_of(entry) != entry.hash:
            yield count, Verification(False, count, entry.sequence, "was changed after writing")
            return
        count += 1
        expected_sequence, expected_prev = entry.sequence + 1, entry.hash
        if count % chunk == 0:
            yield count, None
    if upto is None and (head.sequence != expected_sequence - 1 or head.hash != expected_prev):
        reason = (
            f"entries after {expected_sequence - 1} are missing (the head is at {head.sequence})"
        )
        yield count, Verification(False, count, expected_sequence, reason)
        return
    yield count, Verification(True, count)


def verify() -> Verification:
    """The chain checked from its anchor to its head (`kollega audit verify`)."""
    for _count, result in walk():
        if result is not None:
            return result
    raise AssertionError("walk() always ends with a result")


def purge(before: datetime) -> int:
    """Delete the entries written before `before`, keeping the chain verifiable.

    Everything up to the first entry at or after `before` goes; the hash of the
    last one deleted becomes the anchor verification starts from. The part to
    be deleted is verified first: a broken chain is not purged (its evidence
    would go with it), and `ChainBroken` is raised. Returns how many went.
    """
    with transaction.atomic():
        head = _locked_head()
        first_kept = (
            Entry.objects.filter(at__gte=before)
            .order_by("sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        last_purged = (first_kept or head.sequence + 1) - 1
        if last_purged <= head.anchor_sequence:
            return 0
        for _count, result in walk(upto=last_purged):
            if result is not None and not result.ok:
                raise ChainBroken(result)
        anchor = Entry.objects.get(sequence=last_purged)
        token = _purging.set(True)
        try:
            deleted, _ = Entry.objects.filter(sequence__lte=last_purged).delete()
        finally:
            _purging.reset(token)
        ChainHead.objects.filter(pk=1).update(
            anchor_sequence=anchor.sequence, anchor_hash=anchor.hash
        )
    return deleted


class ChainBroken(Exception):
    def __init__(self, result: Verification):
        super().__init__(f"The audit trail is broken at entry {result.broken}: {result.reason}")
        self.result = result
