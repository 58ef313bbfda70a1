"""The SQLite engine: an FTS5 table over the index's analysed terms.

`search_fts` is an external-content FTS5 table whose rowid is the
`search_searchdocument` id; three triggers on that table keep it in step, in
the same transaction as the write that changed the document (bulk inserts
included). It finds the matches; `relevance.py` scores them (not FTS5's
`bm25()`, which walks a common word's whole posting list on every query).

A migration that rebuilds `search_searchdocument` (SQLite remakes a table to
alter it, which drops its triggers) must call `install()` again and then
`rebuild()`.
"""

from kollega.search.text import ParsedQuery

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title_terms, body_terms, content='search_searchdocument', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
)
TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchdocument
    BEGIN
      INSERT INTO search_fts(rowid, title_terms, body_terms)
      VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchdocument
    BEGIN
      INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
      VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_update
    AFTER UPDATE OF title_terms, body_terms ON search_searchdocument
    BEGIN
      INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
      VALUES ('delete', old.id, old.title_terms, old.body_terms);
      INSERT INTO search_fts(rowid, title_terms, body_terms)
      VALUES (new.id, new.title_terms, new.body_terms);
    END""",
)
TRIGGER_NAMES = ("search_fts_insert", "search_fts_delete", "search_fts_update")


def install(cursor) -> None:
    """Create the FTS5 table and its triggers (idempotent)."""
    cursor.execute(CREATE_TABLE)
    for sql in TRIGGERS:
        cursor.execute(sql)


def uninstall(cursor) -> None:
    for name in TRIGGER_NAMES:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute("DROP TABLE IF EXISTS search_fts")


# A rebuild is one transaction of gigabytes on a big organisation: with the usual
# 64 MB page cache SQLite spills the same index pages to the WAL again and again.
REBUILD_CACHE_KIB = 1_000_000


def before_bulk_load(cursor) -> None:
    """Stop the per-row triggers (a rebuild indexes everything at once afterwards)."""
    for name in TRIGGER_NAMES:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute("PRAGMA cache_size")
    cursor.db.kollega_cache_size = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")


def after_bulk_load(cursor) -> None:
    """Index every document in one pass, then put the triggers back."""
    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    install(cursor)
    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    cursor.execute(f"PRAGMA cache_size = {cursor.db.kollega_cache_size}")


def _any_of(forms, prefix: bool = False) -> str:
    star = "*" if prefix else ""
    # Forms are word characters only (text.forms_of), so quoting them is enough.
    return "(" + " OR ".join(f'"{form}"{star}' for form in forms) + ")"


def match_expression(query: ParsedQuery, any_term: bool = False) -> str:
    """Every query word (any of its forms) — or, with `any_term`, at least one of them."""
    joiner = " OR " if any_term else " AND "
    return joiner.join(_any_of(term) for term in query.terms)


def prefix_expression(query: ParsedQuery) -> str:
    """Names starting with what was typed: earlier words whole, the last one as a prefix."""
    parts = [_any_of(term) for term in query.terms[:-1]]
    parts.append(_any_of(query.typed_last, prefix=True))
    return "title_terms : (" + " AND ".join(parts) + ")"


# FTS5 hands out matches in rowid order: asked for the newest first, it stops at the
# LIMIT instead of collecting and sorting every match. (It must be this column, not
# the document id it equals, or SQLite sorts in a temporary B-tree.)
NEWEST_FIRST = "search_fts.rowid DESC"


def match_sql(expression: str) -> dict:
    """`.extra()` arguments joining the FTS table to the documents it matches."""
    return {
        "tables": ["search_fts"],
        "where": ["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
        "params": [expression],
    }


def title_any_expression(query: ParsedQuery) -> str:
    """Titles holding at least one query word (any of its forms): similar questions."""
    return "title_terms : (" + " OR ".join(_any_of(term) for term in query.terms) + ")"
