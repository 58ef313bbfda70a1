from datetime import timedelta

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
        LISTENING_MENTION = "listening_mention", _("Listening: a mention of a term I own")

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
    listening_mention = models.ForeignKey(
        "listening.Mention", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set while the notification waits to go out in an at-once mail (kollega.mail): the
    # time its burst is complete. Cleared when the mail is made.
    mail_due_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["mail_due_at"],
                name="notification_mail_due",
                condition=models.Q(mail_due_at__isnull=False),
            ),
        ]


class MailChoice(models.TextChoices):
    """When a kind of notification reaches a person by mail."""

    AT_ONCE = "at_once", _("At once")
    DIGEST = "digest", _("In my digest")
    NEVER = "never", _("Never")


# What a person gets who chose nothing: what someone waits for at once, the rest later.
DEFAULT_MAIL_CHOICES = {
    Notification.Kind.QUESTION_SENT: MailChoice.AT_ONCE,
    Notification.Kind.QUESTION_REFERRED: MailChoice.AT_ONCE,
    Notification.Kind.INVITATION: MailChoice.AT_ONCE,
    Notification.Kind.COMMUNITY_INVITATION: MailChoice.AT_ONCE,
    Notification.Kind.LISTENING_MENTION: MailChoice.AT_ONCE,
}


# At-once mails wait this long after a person's first new notification, so a burst
# (a question sent, referred, answered within a minute) goes out as one mail.
MAIL_BURST_WINDOW = timedelta(minutes=2)


def default_mail_choice(kind: str) -> str:
    return DEFAULT_MAIL_CHOICES.get(kind, MailChoice.DIGEST)


class MailPreference(models.Model):
    """A person's choice for one kind of notification; no row: the default."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mail_preferences"
    )
    kind = models.CharField(max_length=30, choices=Notification.Kind.choices)
    choice = models.CharField(max_length=10, choices=MailChoice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_mail_choice_per_kind"),
            models.CheckConstraint(
                condition=models.Q(choice__in=MailChoice.values), name="mail_choice_known"
            ),
        ]
