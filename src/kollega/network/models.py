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
    since = models.DateTimeField(auto_now_add=True)

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
    since = models.DateTimeField(auto_now_add=True)

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
