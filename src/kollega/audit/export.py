"""The audit trail as CSV or JSON, streamed row by row so a long trail never sits in memory."""

import csv
import json
from collections.abc import Iterable, Iterator

from django.utils import timezone

from kollega.audit.chain import HASHED_FIELDS
from kollega.audit.models import Entry

# Every hashed field and the two hashes, so an export can be checked against the chain.
COLUMNS = [*HASHED_FIELDS, "prev_hash", "hash"]
CHUNK = 1000


def as_row(entry: Entry) -> dict:
    return {
        "sequence": entry.sequence,
        "at": timezone.localtime(entry.at).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "target_kind": entry.target_kind,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "detail": entry.detail,
        "client_address": entry.client_address,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


class _Line:
    """csv.writer writes into this and gets the line back (nothing is kept)."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A value as a CSV cell; one a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def csv_lines(entries: Iterable[Entry]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for entry in entries:
        row = as_row(entry)
        yield writer.writerow([_cell(row[c]) for c in COLUMNS])


def json_chunks(entries: Iterable[Entry]) -> Iterator[str]:
    """A JSON array of entries, one per line."""
    yield "[\n"
    first = True
    for entry in entries:
        yield ("" if first else ",\n") + json.dumps(as_row(entry), ensure_ascii=False)
        first = False
    yield "\n]\n"


def streamed(queryset) -> Iterator[Entry]:
    return queryset.iterator(chunk_size=CHUNK)
