"""Wiki pages, their revisions, image attachments and who watches them.

There is no Wiki row: the organisation's wiki is the pages without a community,
and each community's wiki is the pages of that community. Titles are unique
(ignoring case) and slugs are unique within one wiki.

A page keeps its current title and text for fast reading; every save is also a
Revision, so the history is complete and the page is always its newest revision.
Who may read and edit is decided in `kollega.permissions.wikis`.
"""

import uuid

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollega.guard.classification import classification_field


def wiki_url(name: str, community=None, **kwargs) -> str:
    """The URL of a wiki view, in the organisation's wiki or a community's."""
    if community is not None:
        kwargs["community"] = community.slug
    return reverse(name, kwargs=kwargs)


class PageQuerySet(models.QuerySet):
    def in_wiki(self, community) -> "PageQuerySet":
        """The pages of the organisation's wiki (None) or of one community's."""
        if community is None:
            return self.filter(community__isnull=True)
        return self.filter(community=community)

    def visible_to(self, person) -> "PageQuerySet":
        from kollega.permissions.wikis import readable_pages_filter

        return self.filter(readable_pages_filter(person))


class Page(models.Model):
    """A page in a wiki: its current title and text, and its place in the tree."""

    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wiki_pages",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220)
    classification = classification_field()
    body = models.TextField(_("text"), blank=True)
    current_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"),
                condition=Q(community__isnull=True),
                name="wiki_page_unique_title_organisation",
            ),
            models.UniqueConstraint(
                "community",
                Lower("title"),
                condition=Q(community__isnull=False),
                name="wiki_page_unique_title_community",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(community__isnull=True),
                name="wiki_page_unique_slug_organisation",
            ),
            models.UniqueConstraint(
                fields=["community", "slug"],
                condition=Q(community__isnull=False),
                name="wiki_page_unique_slug_community",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def _url(self, name: str, **kwargs) -> str:
        return wiki_url(name, self.community, slug=self.slug, **kwargs)

    def get_absolute_url(self) -> str:
        return self._url("wiki_page")

    @property
    def edit_url(self) -> str:
        return self._url("wiki_edit")

    @property
    def history_url(self) -> str:
        return self._url("wiki_history")

    @property
    def diff_url(self) -> str:
        return self._url("wiki_diff")

    @property
    def watch_url(self) -> str:
        return self._url("wiki_watch")

    @property
    def attach_url(self) -> str:
        return self._url("wiki_attach")

    @property
    def new_child_url(self) -> str:
        return wiki_url("wiki_new_page", self.community) + f"?parent={self.pk}"


class Revision(models.Model):
    """One saved state of a page: who saved what, when, and why."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="wiki_revisions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True)
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="wiki_revision_unique_number")
        ]
        indexes = [models.Index(fields=["author", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.page_id} r{self.number}"

    def get_absolute_url(self) -> str:
        return self.page._url("wiki_revision", number=self.number)

    @property
    def restore_url(self) -> str:
        return self.page._url("wiki_restore", number=self.number)


# Attachments are stored under MEDIA_ROOT with random names and served only through
# the permission-checked attachment view, never by their /media/ address.
attachment_storage = FileSystemStorage()


def attachment_path(attachment: "Attachment", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"wiki-attachments/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """An image attached to a page."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="attachments")
    image = models.FileField(upload_to=attachment_path, storage=attachment_storage)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.page._url("wiki_attachment", attachment_id=self.pk, filename=self.name)


class Watch(models.Model):
    """A person who wants to know when a page changes."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="watches")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "person"], name="wiki_watch_unique")]
