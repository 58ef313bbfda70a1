"""Suggestions as you type: colleagues, communities and tags by the start of their names.

Only what the person may see (`permissions.search`), contacts first; a tag is
offered only if it is on something the person may see.
"""

from dataclasses import dataclass

from kollega.network.services import contact_ids
from kollega.people.models import Person
from kollega.permissions.search import visible_documents_filter
from kollega.search.documents import KINDS
from kollega.search.indexing import engine
from kollega.search.models import SearchDocument
from kollega.search.text import parse_query
from kollega.tags.models import Tag

SUGGESTIONS = 5


@dataclass
class Suggestions:
    people: list[SearchDocument]
    communities: list[SearchDocument]
    tags: list[Tag]

    @property
    def is_empty(self) -> bool:
        return not (self.people or self.communities or self.tags)


def suggest(viewer: Person, text: str) -> Suggestions:
    """Colleagues, communities and tags whose names start with what `viewer` typed.

    Only what `viewer` may see; contacts first, then by name.
    """
    query = parse_query(text, keep_stopwords=True)
    if query.is_empty:
        return Suggestions([], [], [])
    backend = engine()
    names = [name for name, kind in KINDS.items() if kind.suggest]
    matching = (
        SearchDocument.objects.filter(visible_documents_filter(viewer, names))
        .extra(**backend.match_sql(backend.prefix_expression(query)))
        .select_related("person__user", "community")[:200]
    )
    contacts = contact_ids(viewer)
    found = sorted(matching, key=lambda d: (d.author_id not in contacts, d.title.lower(), d.pk))
    tags = []
    for tag in Tag.objects.filter(name__startswith=query.words[-1]).order_by("name")[:20]:
        seen = SearchDocument.objects.filter(visible_documents_filter(viewer), tags=tag)
        if seen.exists():
            tags.append(tag)
        if len(tags) == SUGGESTIONS:
            break
    return Suggestions(
        people=[d for d in found if d.kind == "person"][:SUGGESTIONS],
        communities=[d for d in found if d.kind == "community"][:SUGGESTIONS],
        tags=tags,
    )
