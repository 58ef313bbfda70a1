"""Writing the index: one object at a time (after every write) or everything at once.

`index_object` and `remove_object` run inside the transaction of the write that
called them (signal receivers, see `signals.py`), so a search never sees a
post that was rolled back, nor misses one that was committed. `rebuild` is
`kollega reindex` and the demo builder's last step: it empties the index and
bulk-loads every kind in batches.
"""

import sys
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from kollega.search import postgres_fts, sqlite_fts
from kollega.search.documents import KINDS, Document, DocumentKind
from kollega.search.models import SearchDocument
from kollega.search.text import index_terms

BATCH = 2000


def engine():
    """The module that speaks this database's full-text dialect."""
    return postgres_fts if connection.vendor == "postgresql" else sqlite_fts


def _fields(document: Document) -> dict:
    return {
        "title": document.title[:300],
        "body": document.body,
        "url": document.url[:300],
        "context": document.context[:300],
        "title_terms": index_terms(document.title),
        "body_terms": index_terms(f"{document.body} {document.extra_text}"),
        "author_id": document.author_id,
        "post_id": document.post_id,
        "community_id": document.community_id,
        "person_id": document.person_id,
        "classification": document.classification,
        "created_at": document.created_at or timezone.now(),
        "updated_at": document.updated_at or document.created_at or timezone.now(),
    }


def index_object(kind: DocumentKind, obj) -> SearchDocument | None:
    """Create or refresh `obj`'s document; remove it if the kind says it is not searchable."""
    document = kind.document(obj)
    if document is None:
        remove_object(kind, obj.pk)
        return None
    row, _created = SearchDocument.objects.update_or_create(
        kind=kind.name, object_id=obj.pk, defaults=_fields(document)
    )
    row.tags.set(document.tag_ids)
    return row


def index_objects(model, pks, progress: Callable[[str, int], object] | None = None) -> int:
    """Index (or refresh) the objects of `model` with these ids, for every kind of it.

    For writers that bypass the signals (bulk imports): call it inside their
    transaction, after the objects and their tags are written. Returns documents written.
    """
    from kollega.search.documents import kind_for_model

    pks = sorted(set(pks))
    written = 0
    for kind in kind_for_model(model):
        bar = progress(kind.name, len(pks)) if progress and pks else None
        for start in range(0, len(pks), BATCH):
            chunk = list(kind.queryset().filter(pk__in=pks[start : start + BATCH]))
            if kind.prepare is not None:
                kind.prepare(chunk)
            written += sum(index_object(kind, obj) is not None for obj in chunk)
            if bar is not None:
                bar.update(len(chunk))
        if bar is not None:
            bar.close()
    return written


def remove_object(kind: DocumentKind, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind.name, object_id=object_id).delete()


@transaction.atomic
def rebuild(progress: Callable[[str, int], object] | None = None) -> dict[str, int]:
    """Empty the index and index every object of every kind; returns documents per kind.

    `progress(kind_name, total)` may return a tqdm-like bar (with update());
    the whole rebuild is one transaction, so searches see the old index until
    the new one is complete.
    """
    backend = engine()
    counts = {}
    with connection.cursor() as cursor:
        backend.before_bulk_load(cursor)
        # Raw deletes: the ORM would first fetch every id to delete the tag links.
        cursor.execute(f"DELETE FROM {TAG_LINKS}")
        cursor.execute(f"DELETE FROM {DOCUMENTS}")
        loader = _Loader(cursor)
        for kind in KINDS.values():
            counts[kind.name] = loader.load(kind, progress)
        for sql in connection.ops.sequence_reset_sql(no_style(), [SearchDocument]):
            cursor.execute(sql)
        backend.after_bulk_load(cursor)
    return counts


DOCUMENTS = SearchDocument._meta.db_table
TAG_LINKS = SearchDocument.tags.through._meta.db_table
COLUMNS = (
    "id", "kind", "object_id", "title", "body", "url", "context", "title_terms", "body_terms",
    "author_id", "post_id", "community_id", "person_id", "created_at", "updated_at",
    "classification",
)  # fmt: skip


class _Loader:
    """Writes documents with plain multi-row inserts and ids of its own (the table is empty).

    Much faster than bulk_create, which compiles every row of every batch through the ORM.
    """

    def __init__(self, cursor) -> None:
        self.cursor = cursor
        self.next_id = 1
        marks = ", ".join(["%s"] * len(COLUMNS))
        self.insert = f"INSERT INTO {DOCUMENTS} ({', '.join(COLUMNS)}) VALUES ({marks})"
        self.link = f"INSERT INTO {TAG_LINKS} (searchdocument_id, tag_id) VALUES (%s, %s)"

    def load(self, kind: DocumentKind, progress) -> int:
        objects = kind.queryset().order_by("pk")
        bar = progress(kind.name, objects.count()) if progress else None
        written, chunk = 0, []
        for obj in objects.iterator(chunk_size=BATCH):
            chunk.append(obj)
            if len(chunk) >= BATCH:
                written += self.load_chunk(kind, chunk, bar)
                chunk = []
        written += self.load_chunk(kind, chunk, bar)
        if bar is not None:
            bar.close()
        return written

    def load_chunk(self, kind: DocumentKind, chunk: list, bar) -> int:
        if not chunk:
            return 0
        if kind.prepare is not None:
            kind.prepare(chunk)
        batch = [(obj.pk, document) for obj in chunk if (document := kind.document(obj))]
        if bar is not None:
            bar.update(len(chunk))
        adapt = connection.ops.adapt_datetimefield_value
        rows, links = [], []
        for pk, document in batch:
            fields = _fields(document)
            fields["created_at"] = adapt(fields["created_at"])
            fields["updated_at"] = adapt(fields["updated_at"])
            rows.append((self.next_id, kind.name, pk, *(fields[c] for c in COLUMNS[3:])))
            links += [(self.next_id, tag_id) for tag_id in document.tag_ids]
            self.next_id += 1
        self.cursor.executemany(self.insert, rows)
        if links:
            self.cursor.executemany(self.link, links)
        return len(rows)


def reindex_demo(state) -> None:
    """The demo builder's last step: it writes with bulk_create, which sends no signals."""
    counts = rebuild()
    state.counts["search documents"] = sum(counts.values())


def tqdm_progress(kind_name: str, total: int, file=None):
    """A progress bar (on standard error unless `file`), one per kind."""
    from tqdm import tqdm

    return tqdm(total=total, desc=kind_name, unit="doc", file=file or sys.stderr, leave=True)
