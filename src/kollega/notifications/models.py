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

    recipient = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.CASCADE)
    comment = models.ForeignKey("posts.Comment", null=True, blank=True, on_delete=models.CASCADE)
    invitation = models.ForeignKey(
        "network.Invitation", null=True, blank=True, on_delete=models.CASCADE
    )
    tag = models.ForeignKey("tags.Tag", null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]
