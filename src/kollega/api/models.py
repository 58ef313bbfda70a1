import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None) -> "ApiTokenQuerySet":
        """Tokens that still authenticate: not expired, and their person has not left."""
        now = now or timezone.now()
        return self.filter(person__user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal access token for API clients; only its hash is stored.

    A token may expire (`expires_at`) and may be read-only (`scope`): a
    read-only token reads whatever its person may read and changes nothing.
    """

    class Scope(models.TextChoices):
        READ_WRITE = "read-write", _("Read and write")
        READ_ONLY = "read-only", _("Read only")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    scope = models.CharField(
        _("scope"), max_length=16, choices=Scope.choices, default=Scope.READ_WRITE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_from = models.GenericIPAddressField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def read_only(self) -> bool:
        return self.scope == self.Scope.READ_ONLY

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return "kol_" + secrets.token_urlsafe(32)


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a person sent with an API POST, and the answer it got.

    The row is written before the request runs (`response_status` empty: in
    progress), so a second request with the same key waits for nothing: it is
    answered 409 while the first runs and gets the stored answer afterwards.
    Only successful answers are kept; a refused request releases its key.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_type = models.CharField(max_length=100, blank=True)
    response_body = models.BinaryField(blank=True, default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="idempotency_key_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.key} of person {self.person_id}"

    @property
    def in_progress(self) -> bool:
        return self.response_status is None
