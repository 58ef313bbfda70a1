"""Visibility rules compiled once per process, for every active viewer.

The rules here in `kollega.permissions` read of a viewer only their id and
whether they are active. So a rule's SQL is the same for every active
colleague but for their id: it can be built for a stand-in (`anyone()`, an
active viewer with an id no person has) and the real viewer's id swapped into
its parameters (`swap_viewer`). Building a rule through the ORM costs far more
than running it on a short list (about 2 ms for the posts rule, which reads
contacts and communities through sub-queries), and some services apply it
several times per request: search compiles its whole candidate query this way
(`search.services._candidate_sql`), the expertise ranking each rule it applies
(`compiled_rule`). Tests compare both with the SQL built for the real viewer.

A viewer who is not active sees nothing: the caller gets the rule itself,
built for them, as before.
"""

import functools

from django.db import connection
from django.db.models import BooleanField, F
from django.db.models.expressions import Expression

# No person has this id (ids are positive), so it only ever stands for the viewer.
ANYONE_ID = -(2**62) + 7


def anyone():
    """The stand-in viewer: active, with `ANYONE_ID` for an id."""
    from django.contrib.auth.models import User

    from kollega.people.models import Person

    return Person(pk=ANYONE_ID, user=User(is_active=True))


def swap_viewer(params, viewer_id: int, more: dict | None = None) -> list:
    """`params` of SQL compiled for `anyone()`, with `viewer_id` (and `more`'s swaps) in."""
    swap = {ANYONE_ID: viewer_id, **(more or {})}
    return [swap.get(p, p) for p in params]


def compiled_rule(rule, model, viewer, prefix: str = "", anchor: str = "pk"):
    """`rule(viewer, prefix=prefix)` as a filter, its SQL compiled once per process.

    `rule` is one of the visibility rules (e.g. `permissions.posts.visible_filter`)
    on `model`; `prefix` the path to `model` from the queryset filtered, as the rule
    takes it; `anchor` a field of `model` the rule reads, so that the path is joined
    (a path ending in the primary key would stop at the foreign key). For a viewer
    who is not active, the rule itself.
    """
    if viewer is None or not viewer.user.is_active:
        return rule(viewer, prefix=prefix)
    sql, params = _rule_for_anyone(connection.vendor, rule, model)
    return _Rule(sql, swap_viewer(params, viewer.pk), model._meta.db_table, f"{prefix}{anchor}")


@functools.lru_cache(maxsize=64)
def _rule_for_anyone(vendor: str, rule, model) -> tuple[str, tuple]:
    query = model.objects.filter(rule(anyone())).query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.where)
    return sql, tuple(params)


class _Rule(Expression):
    """A compiled rule's condition, pointed at the table `anchor` is read from in the query.

    The rule's sub-queries name their own tables (U0, V0…); only the rule's own
    table is written under its name, which becomes the alias the query gives it.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, sql: str, params: list, table: str, anchor: str) -> None:
        super().__init__()
        self.sql, self.params, self.table, self.anchor = sql, params, table, anchor
        self.column = None

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        resolved.column = F(self.anchor).resolve_expression(query, allow_joins, reuse, summarize)
        return resolved

    def as_sql(self, compiler, connection):
        table = connection.ops.quote_name(self.table) + "."
        alias = connection.ops.quote_name(self.column.alias) + "."
        return self.sql.replace(table, alias), self.params

    def get_group_by_cols(self):
        return []
