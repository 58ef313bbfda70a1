"""Communities: groups of colleagues around a topic or a department.

A community is open (anyone sees it and joins with one click), moderated
(anyone sees it; joining is a request an owner approves) or restricted
(invisible to non-members; joining only by invitation). Who may see what is
decided in `kollega.permissions.communities`; the rules live in `services.py`.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kollega.guard.classification import classification_field


class Community(models.Model):
    """A group with a stream of its own, members and owners."""

    class Kind(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        MODERATED = "moderated", _("Moderated: owners approve who joins")
        RESTRICTED = "restricted", _("Restricted: invisible, by invitation only")

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.OPEN)
    classification = classification_field()
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="communities")
    created_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pinned_post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="community_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community", args=[self.slug])

    @property
    def is_restricted(self) -> bool:
        return self.kind == self.Kind.RESTRICTED


class Membership(models.Model):
    """A person in a community, as an owner or a member."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="member_once"),
        ]
        indexes = [models.Index(fields=["person", "community"])]


class MembershipRequest(models.Model):
    """Someone asks to join a moderated community; an owner approves or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "person"],
                condition=Q(status="pending"),
                name="one_pending_request",
            ),
        ]


class CommunityInvitation(models.Model):
    """An owner invites a colleague; the colleague accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="community_invitations"
    )
    invited_by = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "person"],
                condition=Q(status="pending"),
                name="one_pending_community_invitation",
            ),
        ]


class MembershipEvent(models.Model):
    """The log of membership changes: who did what to whom, and when."""

    class What(models.TextChoices):
        CREATED = "created", _("created the community")
        JOINED = "joined", _("joined")
        REQUESTED = "requested", _("asked to join")
        APPROVED = "approved", _("approved the request of")
        REFUSED = "refused", _("refused the request of")
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted the invitation")
        DECLINED = "declined", _("declined the invitation")
        LEFT = "left", _("left")
        REMOVED = "removed", _("removed")
        MADE_OWNER = "made_owner", _("made an owner:")
        MADE_MEMBER = "made_member", _("made a member again:")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=12, choices=What.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]


class CommunityFollow(models.Model):
    """A person follows a community: its posts appear under "My communities"."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="community_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="follow_community_once"),
        ]
        indexes = [models.Index(fields=["person", "community"])]


class ModerationLog(models.Model):
    """An owner removed a post or a comment from the community, and said why."""

    class What(models.TextChoices):
        POST = "post", _("post")
        COMMENT = "comment", _("comment")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="moderation")
    moderator = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=10, choices=What.choices)
    # The removed item is gone; its id and an excerpt of its text are kept.
    removed_id = models.PositiveBigIntegerField()
    excerpt = models.CharField(max_length=300)
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
