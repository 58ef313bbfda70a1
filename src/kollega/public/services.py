"""The public pages: what a visitor without sign-in may read, reached in one way each.

Each function returns what the visitor may see or raises `NotFound` (a 404, the
same for a person who does not exist, has no public pages, or has left), by the
rules of `permissions.public`. Nothing here knows who is asking: a public page
is the same for everyone.
"""

from kollega import markup
from kollega.content.blogs.models import BlogEntry
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.permissions.public import public_entries_filter, public_people_filter

PUBLIC_BLOG_SIZE = 30


def public_person(username: str) -> Person:
    """The person with this user name if their public pages are on, else NotFound."""
    person = (
        Person.objects.filter(public_people_filter(), user__username=username.lower())
        .select_related("user", "department")
        .first()
    )
    if person is None:
        raise NotFound
    return person


def public_entries(person: Person):
    """`person`'s entries a visitor may read, newest first (at most PUBLIC_BLOG_SIZE)."""
    return (
        BlogEntry.objects.filter(public_entries_filter(), author=person)
        .select_related("author__user")
        .prefetch_related("tags")
        .newest_first()[:PUBLIC_BLOG_SIZE]
    )


def public_entry(person: Person, entry_id: int) -> BlogEntry:
    """One of `person`'s entries if a visitor may read it, else NotFound."""
    entry = (
        BlogEntry.objects.filter(public_entries_filter(), author=person, pk=entry_id)
        .select_related("author__user")
        .first()
    )
    if entry is None:
        raise NotFound
    return entry


def public_photo(username: str) -> Person:
    """The person whose photo a visitor may have (public pages on, a photo), else NotFound."""
    person = public_person(username)
    if not person.photo:
        raise NotFound
    return person


def public_html(entry: BlogEntry) -> str:
    """The entry's text for readers outside: no links to pages behind sign-in (an
    @mention stays the author's words, a #tag plain text)."""
    return markup.render(entry.body, known_handles=set(), link_tags=False).html
