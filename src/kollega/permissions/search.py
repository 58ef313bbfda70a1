"""Which search documents a person may see: each kind's own rule, nothing new.

A document is visible exactly when the thing it stands for is: posts,
comments, questions and answers by `permissions.posts.visible_filter` on
their post; communities by the directory rule
(`permissions.communities.visible_communities_filter`); people when they are
active colleagues. The rules are joined to the live rows at query time, so
the filter is applied inside the search query — pages stay full and counts
right — and a change of audience or membership counts at once.

The rules may read of the viewer only their id and whether they are active:
search builds its query once for a stand-in viewer and swaps the id in
(`search.services._candidate_sql`; a test compares it with the query built
for a real viewer).
"""

from django.db.models import Q

from kollega.search.documents import KINDS


def can_explain_scores(person) -> bool:
    """True if `person` may see each search result's score parts (`explain`): staff only."""
    return person is not None and person.user.is_staff


def visible_documents_filter(viewer, kinds: list[str] | None = None) -> Q:
    """A Q on SearchDocument selecting what `viewer` may see (of `kinds`, or of every kind).

    Kinds sharing one rule (posts, comments, questions, answers) are grouped so
    the rule's sub-queries appear once.
    """
    if viewer is None or not viewer.user.is_active:
        return Q(pk__in=[])
    groups: dict[object, list[str]] = {}
    for name, kind in KINDS.items():
        if kinds is None or name in kinds:
            groups.setdefault(kind.visible, []).append(name)
    visible = Q(pk__in=[])
    for rule, names in groups.items():
        which = Q(kind=names[0]) if len(names) == 1 else Q(kind__in=names)
        visible |= which & rule(viewer)
    return visible
