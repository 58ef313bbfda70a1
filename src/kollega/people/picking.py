"""The people picker: the colleagues suggested wherever a colleague is named.

Sending and referring a question, asking on a colleague's board, inviting to a
community, a manager on a profile and every @mention offer the same suggestions:
active colleagues whose name, user name or job title (the directory's words,
`people.directory`) or department has a word starting with each typed word. The
form field still holds a user name, so every form works without the suggestions.
"""

from collections.abc import Callable

from django.db.models import Q

from kollega.limits import PICKER_QUERY_MAX_CHARS, PICKER_SUGGESTIONS_MAX_PEOPLE
from kollega.people import directory
from kollega.people.models import Department, Person


def _departments_matching(typed_words: list[str]) -> list[int]:
    """Departments with a word starting with every typed word ("fin" finds Finance)."""
    return [
        pk
        for pk, name in Department.objects.values_list("pk", "name")
        if all(
            any(word.startswith(t) for word in directory.normalised_words(name))
            for t in typed_words
        )
    ]


def pick_people(
    viewer: Person,
    typed: str,
    may_be_chosen: Callable[[Person], bool] | None = None,
    limit: int = PICKER_SUGGESTIONS_MAX_PEOPLE,
) -> list[Person]:
    """The colleagues `viewer` is offered for `typed`, by name, at most `limit`.

    Only active colleagues other than `viewer`; `may_be_chosen` leaves out those
    the form would refuse anyway (a colleague who may not see the question being
    sent), so nobody is offered who cannot be chosen. Nothing is offered for an
    empty text.
    """
    typed = typed.strip().lstrip("@")[:PICKER_QUERY_MAX_CHARS]
    typed_words = directory.normalised_words(typed)
    if not typed_words:
        return []
    found = directory.matching(typed)
    departments = _departments_matching(typed_words[:5])
    if departments:
        found |= Q(department_id__in=departments)
    candidates = (
        Person.objects.active()
        .with_profile_parts()
        .filter(found)
        .exclude(pk=viewer.pk)
        .order_by("name", "pk")
    )
    if may_be_chosen is None:
        return list(candidates[:limit])
    # Read a few more than shown: some may be left out.
    return [p for p in candidates[: limit * 4] if may_be_chosen(p)][:limit]
