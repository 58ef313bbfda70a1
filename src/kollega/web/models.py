"""What the web pages keep in the database of their own: forms already sent."""

from django.db import models
from django.utils import timezone


class SentForm(models.Model):
    """A form's one-time token, recorded the first time the form is sent (see `web.once`).

    `result_url` stays empty while the first submission runs, then holds where
    it led, so a second submission of the same form goes there instead.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=100)  # the form's token and a digest of its content
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    result_url = models.CharField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token"], name="sent_form_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.token} of person {self.person_id}"
