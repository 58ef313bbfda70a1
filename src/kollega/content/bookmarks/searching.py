"""Bookmarks in search: the saved link's title, notes and tags, seen by its audience."""

from urllib.parse import urlsplit

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kollega.content.bookmarks.models import Bookmark
from kollega.search.documents import Document, DocumentKind, Watch, register


def bookmark_document(bookmark: Bookmark) -> Document:
    """A saved link; its site's name is searchable too."""
    tags = list(bookmark.tags.values_list("pk", "name"))
    return Document(
        title=bookmark.title,
        body=bookmark.notes,
        url=bookmark.get_absolute_url(),
        created_at=bookmark.created_at,
        updated_at=bookmark.updated_at,
        context=urlsplit(bookmark.url).netloc,
        author_id=bookmark.person_id,
        community_id=bookmark.community_id,
        tag_ids=sorted(pk for pk, _name in tags),
        extra_text=" ".join([urlsplit(bookmark.url).netloc, *sorted(n for _pk, n in tags)]),
        classification=bookmark.classification,
    )


def _bookmark_rule(viewer) -> Q:
    from kollega.permissions.bookmarks import visible_bookmarks_filter

    return Q(object_id__in=Bookmark.objects.filter(visible_bookmarks_filter(viewer)).values("pk"))


def register_search_kind() -> None:
    """Make bookmarks searchable."""
    register(
        DocumentKind(
            name="bookmark",
            label=_("Bookmarks"),
            model=Bookmark,
            document=bookmark_document,
            visible=_bookmark_rule,
            queryset=lambda: Bookmark.objects.all(),
            watches=(Watch(Bookmark.tags.through, lambda bookmark: [bookmark], m2m=True),),
        )
    )
