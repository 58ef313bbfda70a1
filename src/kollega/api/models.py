import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal access token for API clients; only its hash is stored."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return "kol_" + secrets.token_urlsafe(32)
