"""Visibility of blog entries, their feeds, and who may write on a blog.

- A published entry is seen by whoever may see its post: the one rule in
  `permissions.posts` (organisation, network, community — a restricted
  community's entries only by its current members). Comments,
  recommendations, mentions and notifications follow from the post.
- A draft or scheduled entry has no post and is seen by its author alone —
  also on a community's blog, where fellow members see it once it is published.
- Anyone writes on their own blog; only members write on a community's blog.
- A deactivated colleague sees nothing.

The rule is one query filter (`visible_entries_filter`) reused for single
entries (`can_see_entry`), so the blog page, the entry page, the API and the
Atom feeds never disagree.
"""

from django.db.models import Q

from kollega.permissions.communities import can_post_in, can_read_community
from kollega.permissions.posts import visible_filter


def _active(person) -> bool:
    return person is not None and person.user.is_active


def visible_entries_filter(person, prefix: str = "") -> Q:
    """A Q selecting the blog entries `person` may see (`prefix` for related lookups)."""
    if not _active(person):
        return Q(pk__in=[])
    published = Q(**{f"{prefix}status": "published"}) & visible_filter(
        person, prefix=f"{prefix}post__"
    )
    own_unpublished = ~Q(**{f"{prefix}status": "published"}) & Q(**{f"{prefix}author": person})
    return published | own_unpublished


def can_see_entry(person, entry) -> bool:
    """True if `person` may see `entry` (and, once published, its comments)."""
    from kollega.content.blogs.models import BlogEntry

    return BlogEntry.objects.filter(pk=entry.pk).filter(visible_entries_filter(person)).exists()


def can_write_on_blog(person, community=None) -> bool:
    """One's own blog: always (while active); a community's blog: members only."""
    if not _active(person):
        return False
    return community is None or can_post_in(person, community)


def can_edit_entry(person, entry) -> bool:
    """Only the author edits an entry; on a community blog, only while still a member."""
    if not _active(person) or entry.author_id != person.pk:
        return False
    return entry.community_id is None or can_post_in(person, entry.community)


def can_read_blog(person, community=None) -> bool:
    """A person's blog is open to every colleague (each entry keeps its own audience);
    a community's blog to those who may read the community."""
    if not _active(person):
        return False
    return community is None or can_read_community(person, community)
