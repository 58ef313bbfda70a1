"""Social bookmarks: a link a person saved, with a title, notes, tags and an audience.

`url_key` identifies the normalised link (`services.normalise_url`), so the same page
saved as `HTTP://Intranet/wiki/` and `https://intranet/wiki#top` is one page
when counting "saved by N colleagues". A person saves a page once. `path` is the
address without its host, for counting saves of intranet pages.
"""

from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kollega.guard.classification import classification_field


class BookmarkAudience(models.TextChoices):
    """Who a bookmark is for. `permissions/bookmarks.py` turns this into who may see it."""

    PRIVATE = "private", _("Only me")
    NETWORK = "network", _("My network")
    ORGANISATION = "organisation", _("The whole organisation")
    COMMUNITY = "community", _("A community")


class BookmarkQuerySet(models.QuerySet):
    def visible_to(self, person) -> "BookmarkQuerySet":
        from kollega.permissions.bookmarks import visible_bookmarks_filter

        return self.filter(visible_bookmarks_filter(person))

    def newest_first(self) -> "BookmarkQuerySet":
        return self.order_by("-created_at", "-id")

    def for_display(self) -> "BookmarkQuerySet":
        return self.select_related("person__user", "community").prefetch_related("tags")


class Bookmark(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="bookmarks")
    url = models.URLField(_("address"), max_length=2000)
    # SHA-256 of the normalised address: the same for every save of the same page,
    # and short enough to index on every database.
    url_key = models.CharField(max_length=64, editable=False)
    # The address's path without its host (`/posts/12`): search counts the saves of an
    # intranet page by it, whatever host name each colleague saved it under.
    path = models.CharField(max_length=300, editable=False, default="")
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="bookmarks")
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=BookmarkAudience.choices,
        default=BookmarkAudience.ORGANISATION,
    )
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    classification = classification_field()
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["person", "url_key"], name="bookmark_page_once"),
            models.CheckConstraint(
                condition=(Q(audience="community") & Q(community__isnull=False))
                | (~Q(audience="community") & Q(community__isnull=True)),
                name="bookmark_community_iff_community_audience",
            ),
        ]
        indexes = [
            models.Index(fields=["url_key"], name="bookmark_page"),
            models.Index(fields=["path"], name="bookmark_path"),
            models.Index(fields=["person", "-created_at"], name="bookmark_person"),
            models.Index(fields=["community", "-created_at"], name="bookmark_community"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bookmark", args=[self.pk])

    @property
    def punycode_host(self) -> str:
        """The host as browsers show a doubtful one (`xn--pple-43d.com` for `аpple.com` with a
        Cyrillic а), when it has letters outside ASCII; else "" (nothing to add)."""
        host = urlsplit(self.url).hostname or ""
        if host.isascii():
            return ""
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:  # a host IDNA cannot encode: show it escaped, never as letters
            return host.encode("ascii", "backslashreplace").decode("ascii")
