"""The audit trail's entries and the head of their hash chain.

Each entry's `hash` is SHA-256 over the previous entry's hash and a canonical
serialisation of the entry (`chain.canonical`), so changing, removing or
inserting a row breaks every hash after it. The one `ChainHead` row holds the
last sequence number and hash; appending locks it, so entries get gapless
sequence numbers in the order they were written. After a purge it also holds
the anchor: the hash of the last purged entry, where `kollega audit verify`
starts.

Entries cannot be changed or deleted through the ORM (`AppendOnly`); only the
purge (`chain.purge`) removes old ones.
"""

from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64  # the previous hash of the very first entry
_purging: ContextVar[bool] = ContextVar("kollega_audit_purging", default=False)


class AppendOnly(Exception):
    """An audit entry was to be changed or deleted outside the purge."""


class Action(models.TextChoices):
    """Everything the trail records (docs/audit.md says when each is written)."""

    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
    SHARED = "shared", _("changed the audience or classification of")
    OPENED = "opened", _("opened")
    MEMBERSHIP = "membership", _("changed a community membership")
    MODERATION_REMOVED = "moderation_removed", _("removed as a moderator")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed to sign in")
    SIGN_IN_REFUSED = "sign_in_refused", _("was refused sign-in (too many failures)")
    SIGN_OUT = "sign_out", _("signed out")
    TOKEN_CREATED = "token_created", _("created an API token")
    TOKEN_REVOKED = "token_revoked", _("revoked an API token")
    ACCOUNT_CHANGED = "account_changed", _("changed an account (active, staff, administrator)")
    PERSON_ERASED = "person_erased", _("erased a person")
    GUARD_BLOCK = "guard_block", _("was stopped by the share guard")
    GUARD_OVERRIDE = "guard_override", _("overrode a share guard warning")
    PURGED = "purged", _("purged old audit entries")


# The item kinds the trail names (`audit.services.KINDS`), as people read them.
ITEM_KIND_NAMES = {
    "post": _("post"),
    "comment": _("comment"),
    "question": _("question"),
    "answer": _("answer"),
    "answer_comment": _("comment on an answer"),
    "blog_entry": _("blog entry"),
    "wiki_page": _("wiki page"),
    "bookmark": _("bookmark"),
    "community": _("community"),
    "person": _("person"),
    "token": _("API token"),
    "account": _("account"),
}


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit entries cannot be changed.")

    def delete(self):
        if not _purging.get():
            raise AppendOnly("Audit entries are removed only by the purge.")
        return super().delete()

    def newest_first(self) -> "EntryQuerySet":
        return self.order_by("-sequence")


class Entry(models.Model):
    """One thing that happened: who, what, to which item, when and from where."""

    sequence = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # The actor's id stays as it was (no constraint, nothing cascades): an entry's
    # hash covers it. Their name is kept as text so erasure does not blank the record.
    actor = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("person"),
    )
    actor_name = models.CharField(_("name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    target_kind = models.CharField(_("item kind"), max_length=40, blank=True)
    target_id = models.CharField(_("item id"), max_length=64, blank=True)
    target_label = models.CharField(_("item"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    client_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["actor", "-sequence"], name="audit_actor_idx"),
            models.Index(fields=["target_kind", "target_id"], name="audit_target_idx"),
            models.Index(fields=["action", "-sequence"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.target_kind}:{self.target_id}"

    @property
    def target_kind_name(self) -> str:
        """The item's kind in the reader's language."""
        return str(ITEM_KIND_NAMES.get(self.target_kind, self.target_kind))

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit entries are removed only by the purge.")


class ChainHead(models.Model):
    """The one row at the end of the chain (pk 1): the last entry and the purge anchor."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
    # The last purged entry: verification starts after it, from its hash.
    anchor_sequence = models.PositiveBigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="audit_one_head")]
