from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kollega.guard.classification import classification_field


class Audience(models.TextChoices):
    """Who a post is for. The permission module turns this into who may see it."""

    BOARD = "board", _("The board owner's board")
    NETWORK = "network", _("My network")
    ORGANISATION = "organisation", _("The whole organisation")
    COMMUNITY = "community", _("A community")
    # Only a blog entry of a person with public pages, classified Open (permissions.public).
    PUBLIC = "public", _("Public (anyone, without signing in)")


CARD_COMMENTS = 3  # the last comments a post card shows


class PostQuerySet(models.QuerySet):
    def visible_to(self, person) -> "PostQuerySet":
        from kollega.permissions import posts as post_rules

        return self.filter(post_rules.visible_filter(person))

    def newest_activity_first(self) -> "PostQuerySet":
        return self.order_by("-last_activity_at", "-id")

    def for_display(self) -> "PostQuerySet":
        """What a post card shows: people, community, tags, and the title of the question
        or blog entry a post stands for (not the entry's long text)."""
        return (
            self.select_related(
                "author__user", "board_owner__user", "community", "question", "blog_entry"
            )
            .defer("blog_entry__body", "blog_entry__body_html")
            .prefetch_related("tags")
        )

    def with_comments(self) -> "PostQuerySet":
        """Each post's last three comments, newest first, with their authors: what a post
        card shows (oldest of the three first). Only three are read per post, however long
        the thread: a page of cards read every comment of every thread on it before."""
        comments = Comment.objects.select_related("author__user").order_by("-created_at", "-id")
        return self.prefetch_related(
            models.Prefetch("comments", queryset=comments[:CARD_COMMENTS], to_attr="card_comments")
        )


class Post(models.Model):
    """A status update on a board: one's own, or a colleague's."""

    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="posts")
    board_owner = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="board_posts"
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ORGANISATION
    )
    # Set exactly when the audience is a community (see the constraint below).
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="posts",
    )
    classification = classification_field()
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    tags = models.ManyToManyField(
        "tags.Tag", blank=True, related_name="posts", through="posts.PostTag"
    )
    created_at = models.DateTimeField(db_index=True)
    # Content Darwinism: a comment lifts its thread by moving this forward.
    last_activity_at = models.DateTimeField()
    comment_count = models.PositiveIntegerField(default=0)
    # When its author last changed the text (None: never); the history is `Edit`.
    edited_at = models.DateTimeField(null=True, blank=True)
    recommendation_count = models.PositiveIntegerField(default=0)
    # Attribution for imported text (e.g. the Stack Exchange demo data).
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    source_author = models.CharField(max_length=200, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="post_activity"),
            models.Index(fields=["author", "-last_activity_at"], name="post_author_activity"),
            # Everything a permission check reads, by author and time: expertise reads a
            # few people's posts (activity, posts on a topic) from the index alone, not
            # from rows scattered over the whole table.
            models.Index(
                fields=["author", "created_at", "audience", "board_owner", "community"],
                name="post_author_visibility",
            ),
            models.Index(fields=["board_owner", "-last_activity_at"], name="post_board_activity"),
            # Partial: most posts are in no community, and statistics that count all
            # their NULLs as one value made the planner walk every post instead.
            models.Index(
                fields=["community", "-last_activity_at"],
                name="post_community_activity",
                condition=models.Q(community__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(audience="community") & models.Q(community__isnull=False))
                | (~models.Q(audience="community") & models.Q(community__isnull=True)),
                name="post_community_iff_community_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("post", args=[self.pk])

    @property
    def is_on_own_board(self) -> bool:
        return self.author_id == self.board_owner_id

    @property
    def question_or_none(self):
        """The question this post asks, or None (cheap for a template to test)."""
        return _related_or_none(self, "question")

    @property
    def blog_entry_or_none(self):
        """The blog entry this post announces, or None."""
        return _related_or_none(self, "blog_entry")


def _related_or_none(post: Post, name: str):
    # A missing reverse one-to-one raises; in a template that costs several caught
    # exceptions per post, so the stream's cards ask through these properties.
    try:
        return getattr(post, name)
    except ObjectDoesNotExist:
        return None


class PostTag(models.Model):
    """A post's tag, carrying the post's `last_activity_at`.

    The copy lets the "following" stream read each followed tag's newest posts
    straight from the (tag, activity) index instead of sorting every post of a
    popular tag. The database keeps it equal to the post's own time on every
    write path (services, importers, the demo, raw bulk loads): triggers set it
    when a link is made and follow every change of the post's activity (see
    migration 0003). Never write it from Python.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE)
    last_activity_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        db_table = "posts_post_tags"
        unique_together = [("post", "tag")]
        indexes = [
            models.Index(fields=["tag", "-last_activity_at", "-post"], name="post_tag_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} #{self.tag_id}"


class Comment(models.Model):
    """A reply under a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    source_author = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "created_at"]),
            # Insights read a period's comments (network.rollups).
            models.Index(fields=["created_at"], name="comment_created_at"),
        ]


class Recommendation(models.Model):
    """A 'like': a person recommends a post to others."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="recommendations")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "post"], name="recommend_once"),
        ]


class Mention(models.Model):
    """An @mention of a person in a post or one of its comments."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="mentions")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["person", "-created_at"])]


class EditedKind(models.TextChoices):
    """What an `Edit` changed: everything people write hangs off a post."""

    POST = "post", _("post")
    COMMENT = "comment", _("comment")
    QUESTION = "question", _("question")
    ANSWER = "answer", _("answer")
    ANSWER_COMMENT = "answer_comment", _("comment on an answer")


class Edit(models.Model):
    """One edit of a text by its author: who, when, and the text as it was before.

    The one history for posts, comments, questions, answers and comments on
    answers (`kind`, `object_id`). Each row also names the post its item hangs
    off, so whoever may see the post may see its history (the same rule as the
    item itself), and deleting the post deletes the history with it.
    """

    kind = models.CharField(max_length=20, choices=EditedKind.choices)
    object_id = models.PositiveBigIntegerField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    editor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    edited_at = models.DateTimeField()
    # The text before this edit (a question's title and tags too).
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    tags = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-edited_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id", "-edited_at"], name="edit_history")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} @ {self.edited_at:%Y-%m-%d %H:%M}"
