from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened that one person should know about."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Contact invitation")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        BOARD_POST = "board_post", _("Post on my board")
        MENTION = "mention", _("Mention")
        COMMENT = "comment", _("Comment on my post")
        TAGGED = "tagged", _("Tagged by a colleague")
        COMMUNITY_INVITATION = "community_invitation", _("Invitation to a community")
        COMMUNITY_REQUEST = "community_request", _("Request to join my community")
        COMMUNITY_APPROVED = "community_approved", _("Request to join a community approved")
        COMMUNITY_POST_REMOVED = "community_post_removed", _("Post removed from a community")
        COMMUNITY_COMMENT_REMOVED = (
            "community_comment_removed",
            _("Comment removed from a community"),
        )
        QUESTION_SENT = "question_sent", _("A question you may know")
        QUESTION_REFERRED = "question_referred", _("A question referred to you")
        QUESTION_ANSWERED = "question_answered", _("An answer to a question")
        ANSWER_ACCEPTED = "answer_accepted", _("My answer accepted")
        WIKI_PAGE_CHANGED = "wiki_page_changed", _("A wiki page I watch changed")

    recipient = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.CASCADE)
    comment = models.ForeignKey("posts.Comment", null=True, blank=True, on_delete=models.CASCADE)
    answer = models.ForeignKey(
        "qa.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    invitation = models.ForeignKey(
        "network.Invitation", null=True, blank=True, on_delete=models.CASCADE
    )
    tag = models.ForeignKey("tags.Tag", null=True, blank=True, on_delete=models.CASCADE)
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    moderation = models.ForeignKey(
        "communities.ModerationLog",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    wiki_page = models.ForeignKey(
        "wikis.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]
