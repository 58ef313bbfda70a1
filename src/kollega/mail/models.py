"""Outbound mail: one `Delivery` per message to one person, kept until it is sent.

A delivery's life: QUEUED (waiting for its first attempt, or for the next one
after a failure; `next_attempt_at` says when) → SENT, or → FAILED once
retrying gave up. SKIPPED: never attempted, the person has no usable address;
kept so the administrator sees who misses their mail.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeliveryQuerySet(models.QuerySet):
    def due(self, now) -> "DeliveryQuerySet":
        return self.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)

    def failing(self) -> "DeliveryQuerySet":
        """Deliveries that went wrong: retrying after an error, given up, or skipped."""
        return self.filter(
            Q(status=Delivery.Status.QUEUED, attempts__gt=0)
            | Q(status__in=[Delivery.Status.FAILED, Delivery.Status.SKIPPED])
        )


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    recipient = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    address = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=40, help_text="What the mail is about, e.g. notifications.")
    subject = models.CharField(max_length=250)
    text = models.TextField()
    html = models.TextField()
    # Every header but From, To, Subject and Date, e.g. List-Unsubscribe.
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=250, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.address or self.recipient}"


class InboundMail(models.Model):
    """A reply that arrived (`kollega.mail.inbound`), kept so that the same message
    delivered again is neither posted nor bounced twice.

    `key` is a digest of the message's Message-ID (or, without one, of its sender,
    date, subject and body) and the reply address it came to; nothing of the text
    is kept.
    """

    class Outcome(models.TextChoices):
        ANSWER = "answer", _("Posted as an answer")
        COMMENT = "comment", _("Posted as a comment")
        BOUNCED = "bounced", _("Bounced")

    key = models.CharField(max_length=64, unique=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.outcome or 'received'} {self.received_at:%Y-%m-%d %H:%M}"
