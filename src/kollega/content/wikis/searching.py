"""Wiki pages in search: one document per page, as readable as the page."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kollega.content.wikis.models import Page
from kollega.search.documents import Document, DocumentKind, register
from kollega.search.text import plain_text


def page_document(page: Page) -> Document:
    """A page's current title and text, credited to whoever last changed it."""
    author = page.current_revision.author_id if page.current_revision_id else page.created_by_id
    return Document(
        title=page.title,
        body=plain_text(page.body),
        url=page.get_absolute_url(),
        created_at=page.created_at,
        updated_at=page.updated_at,
        author_id=author,
        community_id=page.community_id,
        classification=page.classification,
    )


def _page_rule(viewer) -> Q:
    from kollega.permissions.wikis import readable_pages_filter

    return Q(object_id__in=Page.objects.filter(readable_pages_filter(viewer)).values("pk"))


def register_search_kind() -> None:
    """Make wiki pages searchable."""
    register(
        DocumentKind(
            name="wiki_page",
            label=_("Wiki pages"),
            model=Page,
            document=page_document,
            visible=_page_rule,
            queryset=lambda: Page.objects.select_related("current_revision"),
        )
    )
