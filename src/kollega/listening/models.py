"""Listening: sources outside the firewall (feeds, Mastodon timelines) and the items read from them.

A source's life is a loop of polls: due (`next_poll_at` passed, or never polled) →
polled → either fine (errors reset, next poll one interval on) or failed (the
error kept in `last_error`, `consecutive_errors` up by one and the next poll
pushed back, doubling each time, or as far as a server's `Retry-After` asks).
"""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from kollega.limits import (
    LISTENING_AUTHOR_MAX_CHARS,
    LISTENING_COMMENT_MAX_CHARS,
    LISTENING_DISMISS_REASON_MAX_CHARS,
    LISTENING_EXTERNAL_ID_MAX_CHARS,
    LISTENING_SOURCE_NAME_MAX_CHARS,
    LISTENING_TITLE_MAX_CHARS,
    LISTENING_URL_MAX_CHARS,
)


class SourceQuerySet(models.QuerySet):
    def due(self, now):
        """Sources whose next poll time has come (or which were never polled)."""
        return self.filter(models.Q(next_poll_at__isnull=True) | models.Q(next_poll_at__lte=now))


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", _("Feed (RSS, Atom, JSON Feed)")
        MASTODON_TAG = "mastodon-tag", _("Mastodon hashtag")
        MASTODON_ACCOUNT = "mastodon-account", _("Mastodon account")
        MASTODON_PUBLIC = "mastodon-public", _("Mastodon public timeline")

    name = models.CharField(max_length=LISTENING_SOURCE_NAME_MAX_CHARS, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FEED)
    url = models.CharField(
        max_length=LISTENING_URL_MAX_CHARS,
        blank=True,
        help_text="A feed's address, or a Mastodon server's (https://mastodon.example).",
    )
    target = models.CharField(
        max_length=200,
        blank=True,
        help_text="The hashtag (without #) or the account (an id, or user@server).",
    )
    access_token = models.CharField(max_length=500, blank=True)
    poll_interval = models.DurationField(default=timedelta(minutes=15))
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    since_id = models.CharField(
        max_length=100, blank=True, help_text="The newest Mastodon status id read so far."
    )
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_notes = models.TextField(
        blank=True, help_text="What the last poll read leniently (missing or future dates, …)."
    )
    consecutive_errors = models.PositiveIntegerField(default=0)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mastodon(self) -> bool:
        return self.kind != self.Kind.FEED


class ItemQuerySet(models.QuerySet):
    def newest_first(self):
        """Newest stored first (the order the API pages through)."""
        return self.order_by("-pk")


class Item(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(
        max_length=LISTENING_EXTERNAL_ID_MAX_CHARS, help_text="The GUID, the link or the status id."
    )
    title = models.CharField(max_length=LISTENING_TITLE_MAX_CHARS, blank=True)
    url = models.CharField(max_length=LISTENING_URL_MAX_CHARS, blank=True)
    author = models.CharField(max_length=LISTENING_AUTHOR_MAX_CHARS, blank=True)
    published = models.DateTimeField(
        null=True,
        blank=True,
        help_text="As the source says; when it said none or a future "
        "date, when Kollega first saw the item (the given date is kept in extras).",
    )
    content_html = models.TextField(blank=True, help_text="Sanitised to the Markdown subset.")
    extras = models.JSONField(default=dict, blank=True, help_text="Podcast, Media RSS, …")
    boosts = models.PositiveIntegerField(null=True, blank=True)
    favourites = models.PositiveIntegerField(null=True, blank=True)
    replies = models.PositiveIntegerField(null=True, blank=True)
    matched_terms = models.JSONField(default=list, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="listening_item_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.external_id


class Term(models.Model):
    """A watch term: words and quoted phrases that must all appear, `-word` ones that must not.

    `saab -gripen` matches items naming Saab but not the Gripen; `"volvo cars"`
    matches the two words next to each other. Case and accents aside, and in
    the Swedish, Norwegian and English forms search uses (`kollega.search.text`).
    """

    class Kind(models.TextChoices):
        BRAND = "brand", _("Brand")
        PRODUCT = "product", _("Product")
        COMPETITOR = "competitor", _("Competitor")
        PERSON = "person", _("Person")

    phrase = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BRAND)
    owner_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(owner_person__isnull=False, owner_community__isnull=False),
                name="listening_term_one_owner_at_most",
            )
        ]

    def __str__(self) -> str:
        return self.phrase

    @property
    def owner(self):
        return self.owner_person or self.owner_community


class MentionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=[Mention.State.NEW, Mention.State.ASSIGNED])

    def oldest_first(self):
        return self.order_by("created_at", "pk")


class Mention(models.Model):
    """An item that matches a watch term, in the shared inbox.

    new → assigned (to a colleague on the listening team) → answered, or
    dismissed with a reason (from new or assigned). `created_at` is when
    Kollega first saw it; `closed_at` when it was answered or dismissed, so the
    response time is the one minus the other.
    """

    class State(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        DISMISSED = "dismissed", _("Dismissed")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="mentions")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="mentions")
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    assignee = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.CharField(max_length=LISTENING_DISMISS_REASON_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The question or post for colleagues this mention was turned into (it links back to
    # the original item in its text).
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MentionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "term"], name="listening_mention_once"),
            models.CheckConstraint(
                condition=~models.Q(state="dismissed", dismiss_reason=""),
                name="listening_mention_dismissed_with_reason",
            ),
        ]

    @property
    def response_time(self):
        return self.closed_at - self.created_at if self.closed_at else None


class MentionComment(models.Model):
    """An internal note on a mention, read only by those who may work on it (never sent out)."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=LISTENING_COMMENT_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class ExternalAccount(models.Model):
    """A colleague's own account outside (a Mastodon handle, a blog feed): an ambassador's.

    Kollega polls it through a source of its own (`source`, made with the account),
    and counts how often its items name the brand and product terms and how far
    they travelled (boosts, favourites, replies).
    """

    class Kind(models.TextChoices):
        MASTODON = "mastodon", _("Mastodon account")
        FEED = "feed", _("Blog feed")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="external_accounts"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.CharField(
        max_length=LISTENING_URL_MAX_CHARS, help_text="user@server, or the feed's address."
    )
    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="account")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "address"], name="listening_account_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.address
