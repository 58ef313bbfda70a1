"""What a person said "Not interested" to: never recommended to them again."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a recommendation proposes."""

    PERSON = "person", _("Person")
    COMMUNITY = "community", _("Community")
    CONTENT = "content", _("Content")


class Dismissal(models.Model):
    """`person` is not interested in the recommended `kind` with id `object_id`
    (a person, a community, or a post for content)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="recommendation_dismissals"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "object_id"], name="dismiss_recommendation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.object_id}"
