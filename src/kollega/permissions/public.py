"""What a visitor without sign-in may see: the public pages, and who may write for them.

Two switches, both needed: the site's `KOLLEGA_PUBLIC_PAGES` (off by default)
and, per person, `Person.public_pages`, which only an administrator sets (the
admin, `kollega people public`). A person with public pages has a profile page
(name, photo, title, department, about) and a public blog: their own published
blog entries whose audience is *public* and whose classification is Open.

Everything else stays behind sign-in. Signed-in colleagues see a public entry
like an organisation-wide one (`permissions.posts.visible_filter`). The setting
is read on every request, so switching it off closes every public page at once;
so does turning a person's flag off, deactivating them, or an entry becoming a
draft, leaving the public audience, or being classified above Open.
"""

from django.conf import settings
from django.db.models import Q

from kollega.guard.classification import Level

NOTHING = Q(pk__in=[])


def public_pages_on() -> bool:
    """True when the site allows public pages at all (`KOLLEGA_PUBLIC_PAGES`)."""
    return bool(getattr(settings, "KOLLEGA_PUBLIC_PAGES", False))


def public_people_filter(prefix: str = "") -> Q:
    """A Q selecting the people whose public pages a visitor may read (`prefix`: a path)."""
    if not public_pages_on():
        return NOTHING
    return Q(**{f"{prefix}public_pages": True, f"{prefix}user__is_active": True})


def has_public_pages(person) -> bool:
    """True if `person`'s profile and public blog entries are readable without sign-in."""
    return (
        person is not None and public_pages_on() and person.public_pages and person.user.is_active
    )


def may_write_publicly(person) -> bool:
    """True if `person` may give their own blog entries the public audience."""
    return has_public_pages(person)


def public_entries_filter(prefix: str = "") -> Q:
    """A Q selecting the blog entries an anonymous visitor may read: published, on the
    author's own blog, audience public, classification Open, by an author whose public
    pages are on (and who is active)."""
    if not public_pages_on():
        return NOTHING
    p = prefix
    return Q(
        **{
            f"{p}status": "published",
            f"{p}community__isnull": True,
            f"{p}audience": "public",
            f"{p}classification": Level.OPEN,
        }
    ) & public_people_filter(f"{p}author__")


def is_public_entry(entry) -> bool:
    """True if a visitor without sign-in may read `entry` (`public_entries_filter`)."""
    from kollega.content.blogs.models import BlogEntry

    if entry.audience != "public" or not has_public_pages(entry.author):
        return False
    return BlogEntry.objects.filter(public_entries_filter(), pk=entry.pk).exists()
