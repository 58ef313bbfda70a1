"""What insights record themselves: impressions, for a leader's reach."""

from django.db import models


class Impression(models.Model):
    """`person` was shown `post` on `day`: in their stream (at most one row a day).

    Written in one batch per stream page (`insights.impressions.record_impressions`);
    read by the reach panel (`posts/insights.py`) through the unique index, post first.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "person", "day"], name="impression_once_a_day")
        ]
