"""Blog entries: a blog for every person and every community.

There is no blog table: a person's blog is their entries outside communities, a
community's blog is the entries written in it. An entry has a title and a long
Markdown body; once published it owns a post (`BlogEntry.post`, as a question
does), which carries the audience, the stream position, comments,
recommendations and mentions. So who may see a published entry is exactly who
may see its post (`permissions/blogs.py`); drafts and scheduled entries have no
post and are seen by their author alone.

The life of an entry, in one place:

    draft ──schedule──▶ scheduled ──publish (when due)──▶ published
      └──────────────────publish──────────────────────────┘
    scheduled ──unschedule──▶ draft

Only `transition()` moves an entry between states.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kollega.guard.classification import classification_field
from kollega.posts.models import Audience


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


# name: (states it may start from, state it ends in)
TRANSITIONS = {
    "schedule": ({EntryStatus.DRAFT, EntryStatus.SCHEDULED}, EntryStatus.SCHEDULED),
    "unschedule": ({EntryStatus.SCHEDULED}, EntryStatus.DRAFT),
    "publish": ({EntryStatus.DRAFT, EntryStatus.SCHEDULED}, EntryStatus.PUBLISHED),
}


def transition(entry: "BlogEntry", name: str, **fields) -> None:
    """Move `entry` along the named transition, checked in the database.

    An entry that has moved on meanwhile (published by the schedule while its
    author pressed "publish") is refused, so it is never published twice.
    """
    sources, target = TRANSITIONS[name]
    changed = BlogEntry.objects.filter(pk=entry.pk, status__in=sources).update(
        status=target, **fields
    )
    if not changed:
        raise ValidationError(
            gettext("This entry is %(status)s; that cannot be done any more."),
            params={"status": entry.get_status_display().lower()},
            code="wrong_state",
        )
    entry.status = target
    for field, value in fields.items():
        setattr(entry, field, value)


class BlogEntryQuerySet(models.QuerySet):
    def visible_to(self, person) -> "BlogEntryQuerySet":
        from kollega.permissions.blogs import visible_entries_filter

        return self.filter(visible_entries_filter(person))

    def published(self) -> "BlogEntryQuerySet":
        return self.filter(status=EntryStatus.PUBLISHED)

    def of_person(self, person) -> "BlogEntryQuerySet":
        """The entries of `person`'s own blog (not those they wrote in communities)."""
        return self.filter(author=person, community__isnull=True)

    def of_community(self, community) -> "BlogEntryQuerySet":
        return self.filter(community=community)

    def newest_first(self) -> "BlogEntryQuerySet":
        return self.order_by(models.F("published_at").desc(nulls_first=True), "-updated_at", "-id")

    def for_display(self) -> "BlogEntryQuerySet":
        return self.select_related("author__user", "community", "post").prefetch_related("tags")


class BlogEntry(models.Model):
    """An entry on a person's or a community's blog."""

    author = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="blog_entries"
    )
    # Set for an entry on a community's blog; its audience is then the community.
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="blog_entries",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="blog_entries")
    # The audience the post gets when the entry is published.
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ORGANISATION
    )
    classification = classification_field()
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    post = models.OneToOneField(
        "posts.Post",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="blog_entry",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = BlogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("blog entry")
        verbose_name_plural = _("blog entries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="published") & Q(post__isnull=False))
                | (~Q(status="published") & Q(post__isnull=True)),
                name="blog_entry_post_iff_published",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="blog_entry_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=(Q(audience="community") & Q(community__isnull=False))
                | (~Q(audience="community") & Q(community__isnull=True)),
                name="blog_entry_community_iff_community_audience",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "status", "-published_at"], name="blog_author"),
            models.Index(fields=["community", "status", "-published_at"], name="blog_community"),
            models.Index(fields=["status", "publish_at"], name="blog_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog_entry", args=[self.pk])

    def blog_url(self) -> str:
        if self.community_id:
            return reverse("community_blog", args=[self.community.slug])
        return reverse("person_blog", args=[self.author.handle])

    @property
    def is_published(self) -> bool:
        return self.status == EntryStatus.PUBLISHED
