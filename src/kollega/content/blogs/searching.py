"""Published blog entries in search: one document per entry (its post is not indexed twice)."""

from django.utils.translation import gettext_lazy as _

from kollega.content.blogs.models import BlogEntry, EntryStatus
from kollega.search.documents import KINDS, Document, DocumentKind, Watch, register
from kollega.search.indexing import index_object, remove_object
from kollega.search.text import plain_text


def entry_document(entry: BlogEntry) -> Document | None:
    """A published entry as a search document; drafts and scheduled entries are not found."""
    if entry.status != EntryStatus.PUBLISHED or entry.post_id is None:
        return None
    tags = list(entry.tags.values_list("pk", "name"))
    return Document(
        title=entry.title,
        body=plain_text(entry.body_html),
        url=entry.get_absolute_url(),
        created_at=entry.published_at or entry.created_at,
        updated_at=entry.updated_at,
        author_id=entry.author_id,
        post_id=entry.post_id,
        community_id=entry.community_id,
        tag_ids=sorted(pk for pk, _name in tags),
        extra_text=" ".join(sorted(name for _pk, name in tags)),
        classification=entry.classification,
    )


def _entry_rule(viewer):
    # A published entry is exactly as visible as the post it owns.
    from kollega.permissions.posts import visible_filter

    return visible_filter(viewer, prefix="post__")


def entry_published(entry: BlogEntry) -> None:
    """Index a just-published entry, in the publishing transaction.

    Publishing changes the entry's state with a checked UPDATE (no save signal),
    and its post was indexed as a plain post before it was linked to the entry:
    the entry's own document replaces it.
    """
    index_object(KINDS["blog_entry"], entry)
    remove_object(KINDS["post"], entry.post_id)


def register_search_kind() -> None:
    """Make blog entries searchable."""
    register(
        DocumentKind(
            name="blog_entry",
            label=_("Blog entries"),
            model=BlogEntry,
            document=entry_document,
            visible=_entry_rule,
            queryset=lambda: BlogEntry.objects.filter(status=EntryStatus.PUBLISHED),
            watches=(Watch(BlogEntry.tags.through, lambda entry: [entry], m2m=True),),
        )
    )
