"""Digests: each person's choice of period, and the record that a digest was made.

`DigestSent` is written in the same transaction as the digest's mail (the
`mail.Delivery` row, the outbox), with one row per person, period and period
start: a run killed mid-way either made the mail and its record, or neither,
and a second run never makes it twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Period(models.TextChoices):
    DAILY = "daily", pgettext_lazy("digest", "Daily")
    WEEKLY = "weekly", pgettext_lazy("digest", "Weekly")


class DigestChoice(models.TextChoices):
    """How often a person gets a digest."""

    DAILY = "daily", pgettext_lazy("digest", "Daily")
    WEEKLY = "weekly", _("Weekly, on Mondays")
    NONE = "none", _("No digest")


class DigestPreference(models.Model):
    """A person's digest choice; no row: the default (`services.default_digest_choice`)."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="digest_preference"
    )
    choice = models.CharField(max_length=10, choices=DigestChoice.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(choice__in=DigestChoice.values), name="digest_choice_known"
            )
        ]


class DigestSent(models.Model):
    """A person's digest for one period was made: mailed (`delivery`), or found empty."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10, choices=Period.choices)
    # The first local day the digest covers (yesterday for a daily one, last Monday for
    # a weekly one sent on Monday morning).
    period_start = models.DateField()
    delivery = models.ForeignKey(
        "mail.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    items = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "period", "period_start"], name="one_digest_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "period_start"], name="digest_sent_period")]
