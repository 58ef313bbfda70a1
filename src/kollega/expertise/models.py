"""Expertise profiles: what each person's evidence says about each term, to find candidates fast.

A profile is never shown and never decides a ranking: it only picks the short
list of people whose evidence is then read live, through the viewer's
visibility rules (see `expertise.profiles` and `expertise.services`). It holds
every piece of evidence regardless of who may see it, which is why it must
never be used for more than choosing whom to look at.
"""

from django.db import models


class Profile(models.Model):
    """When a person's terms were last computed, and whether a write has made them stale."""

    person = models.OneToOneField(
        "people.Person", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    refreshed_at = models.DateTimeField()
    # Set by a write that changed their evidence, cleared by the refresh (oldest first).
    stale_since = models.DateTimeField(null=True, blank=True)
    # Recent activity on everything, seen by anyone, as of `refreshed_at`: never
    # less than what any viewer may see of it later (`evidence.activity`).
    activity = models.FloatField(default=0.0)
    # Which evidence sources they have anything in (bits of `evidence.SOURCES`):
    # a source none of the people read has is not queried. All until computed.
    sources = models.PositiveIntegerField(default=0xFF)

    class Meta:
        indexes = [
            models.Index(fields=["stale_since"], name="expertise_profile_stale"),
            models.Index(fields=["refreshed_at"], name="expertise_profile_refreshed"),
        ]

    def __str__(self) -> str:
        return f"profile of {self.person_id}"


class ProfileTerm(models.Model):
    """One person's decayed evidence weight on one term: a tag ("#wine") or a word form."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=100)
    # Σ evidence weight × exp((time − EPOCH) / topical decay): scaled to a fixed
    # moment, so rows written at different times compare without rewriting them.
    weight = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "term"], name="expertise_term_once"),
        ]
        # The strongest people on a term, read from the index alone.
        indexes = [
            models.Index(fields=["term", "-weight", "person"], name="expertise_term_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.term} {self.weight:.3g}"
