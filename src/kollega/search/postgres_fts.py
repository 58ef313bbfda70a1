"""The PostgreSQL engine: a generated tsvector column with a GIN index.

`search_vector` is computed by PostgreSQL from the analysed terms with the
`simple` configuration (the stemming is ours, see `text.py`), title terms at
weight A and body terms at B, so it changes in the same statement as the row.
It finds the matches; `relevance.py` scores them, as on SQLite.
"""

from kollega.search.text import ParsedQuery

VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(title_terms, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(body_terms, '')), 'B')"
)
INDEX = (
    "CREATE INDEX IF NOT EXISTS search_doc_vector ON search_searchdocument "
    "USING GIN (search_vector)"
)


def install(cursor) -> None:
    cursor.execute(
        "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    cursor.execute(INDEX)


def uninstall(cursor) -> None:
    cursor.execute("DROP INDEX IF EXISTS search_doc_vector")
    cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector")


def _immediately(cursor, sql: str) -> None:
    # Django's foreign keys are checked at commit; PostgreSQL refuses index changes on a
    # table with such checks pending, so they are run now (the default comes back after).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(sql)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def before_bulk_load(cursor) -> None:
    """Building the GIN index once is much faster than updating it row by row."""
    _immediately(cursor, "DROP INDEX IF EXISTS search_doc_vector")


def after_bulk_load(cursor) -> None:
    _immediately(cursor, INDEX)
    cursor.execute("ANALYZE search_searchdocument")


def _any_of(forms, prefix: bool = False, weight: str = "") -> str:
    label = ("*" if prefix else "") + weight
    suffix = f":{label}" if label else ""
    # Forms are word characters only (text.forms_of): nothing here is tsquery syntax.
    return "(" + " | ".join(f"{form}{suffix}" for form in forms) + ")"


def match_expression(query: ParsedQuery, any_term: bool = False) -> str:
    """Every query word (any of its forms) — or, with `any_term`, at least one of them."""
    joiner = " | " if any_term else " & "
    return joiner.join(_any_of(term) for term in query.terms)


def prefix_expression(query: ParsedQuery) -> str:
    """Names starting with what was typed: earlier words whole, the last one as a prefix."""
    parts = [_any_of(term, weight="A") for term in query.terms[:-1]]
    parts.append(_any_of(query.typed_last, prefix=True, weight="A"))
    return " & ".join(parts)


NEWEST_FIRST = "search_searchdocument.id DESC"


def match_sql(expression: str) -> dict:
    """`.extra()` arguments keeping the documents that match."""
    return {
        "where": ["search_searchdocument.search_vector @@ to_tsquery('simple'::regconfig, %s)"],
        "params": [expression],
    }


def title_any_expression(query: ParsedQuery) -> str:
    """Titles (weight A) holding at least one query word (any of its forms): similar questions."""
    return " | ".join(_any_of(term, weight="A") for term in query.terms)
