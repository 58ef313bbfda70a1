"""What provisioning keeps: which directory entry is which person, and SCIM tokens.

A person pushed by SCIM, read from LDAP or imported from a CSV file is found
again by the source's stable key (SCIM's `externalId`, LDAP's entryUUID or
objectGUID, the CSV's `external_id` column), never by a name or e-mail address
that can change. Only people with a link from a source can be deactivated by
that source: local accounts (the break-glass administrators) are never touched.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    SCIM = "scim", _("SCIM")
    LDAP = "ldap", _("LDAP directory")
    CSV = "csv", _("CSV import")


class DirectoryLink(models.Model):
    """`person` is the entry `key` of `source` (key may be blank for SCIM: no externalId)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="directory_links"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    key = models.CharField(_("key in the source"), max_length=255, blank=True)
    # The photo last taken from the source (SHA-256), so an unchanged one is not saved again.
    photo_hash = models.CharField(max_length=64, blank=True)
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    synced_at = models.DateTimeField(_("last synchronised"), auto_now=True)

    class Meta:
        verbose_name = _("directory link")
        verbose_name_plural = _("directory links")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key"], condition=~Q(key=""), name="one_person_per_source_key"
            ),
            models.UniqueConstraint(fields=["source", "person"], name="one_key_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.key} → {self.person_id}"


class GroupLink(models.Model):
    """A department pushed as a SCIM Group, with the client's `externalId` for it."""

    department = models.OneToOneField(
        "people.Department", on_delete=models.CASCADE, related_name="scim_group"
    )
    key = models.CharField(_("key in the source"), max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="one_group_per_key")
        ]

    def __str__(self) -> str:
        return f"scim:{self.key} → {self.department_id}"


class ScimToken(models.Model):
    """A bearer token a SCIM client (Entra ID, Okta) sends; only its SHA-256 is kept.

    Made and revoked by an operator (`kollega scim token create|list|revoke`).
    The token is 256 random bits, so a fast hash is enough: nothing to guess.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")

    def __str__(self) -> str:
        return self.name
