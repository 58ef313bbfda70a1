from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A request to become contacts. Pending until the recipient accepts or ignores it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        IGNORED = "ignored", _("Ignored")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    sender = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="invitations_sent"
    )
    recipient = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="invitations_received"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="no_self_invitation"),
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_pair",
            ),
        ]


class Contact(models.Model):
    """One direction of a contact; every contact is stored both ways for fast reads."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="contact_of"
    )
    since = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(person=F("contact")), name="no_self_contact"),
            models.UniqueConstraint(fields=["person", "contact"], name="contact_once"),
        ]


class PersonFollow(models.Model):
    """Following a person: their posts in my 'following' stream, no invitation needed."""

    follower = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    followed = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="followers"
    )
    since = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(follower=F("followed")), name="no_self_follow"),
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_person_once"),
        ]


class TagFollow(models.Model):
    """Following a tag: posts carrying it in my 'following' stream."""

    follower = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="tag_follows"
    )
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="followers")
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "tag"], name="follow_tag_once"),
        ]


class DayTies(models.Model):
    """Insights rollup (`network.rollups`): how many ties of `kind` people of
    `from_department` made on `day` (the site's time zone) with people of
    `to_department`. A contact counts once per pair, from the side with the lower id.

    Departments are plain ids, as they were when the day was rolled up, so a
    removed department keeps its past."""

    class Kind(models.TextChoices):
        CONTACT = "contact"
        FOLLOW = "follow"
        ANSWER = "answer"
        COMMENT = "comment"

    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_department = models.IntegerField(null=True)
    to_department = models.IntegerField(null=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "kind"])]


class ActiveDay(models.Model):
    """Insights rollup (`network.rollups`): `person` wrote a post, comment or answer, or
    recommended a post, on `day`; `department` is theirs when the day was rolled up."""

    day = models.DateField()
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    department = models.IntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "person"], name="active_day_once"),
        ]
        indexes = [models.Index(fields=["day", "department", "person"])]


class RollupState(models.Model):
    """When the network rollups were last refreshed (one row). No row: the panels
    compute from the rows themselves."""

    refreshed_at = models.DateTimeField()
