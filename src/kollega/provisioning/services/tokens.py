"""SCIM bearer tokens: made by an operator, shown once, kept only as a SHA-256 hash."""

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.api.auth import bearer_key
from kollega.api.models import ApiToken
from kollega.audit.models import Action
from kollega.audit.services import record
from kollega.provisioning.models import ScimToken

logger = logging.getLogger("kollega.provisioning")
PREFIX = "kscim_"


def create_scim_token(name: str) -> tuple[ScimToken, str]:
    """A new token for the SCIM client `name`; the token itself is returned only now."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValidationError(_("Give the token a name of at most 100 characters."))
    if ScimToken.objects.filter(name=name).exists():
        raise ValidationError(_("A SCIM token called %(n)s exists."), params={"n": name})
    token = PREFIX + secrets.token_urlsafe(32)
    row = ScimToken.objects.create(name=name, token_hash=ApiToken.hash_key(token))
    record(Action.TOKEN_CREATED, target=("scim_token", row.pk, name), detail={"name": name})
    logger.info("SCIM token %s made", name)
    return row, token


def revoke_scim_token(name: str) -> bool:
    """The token called `name` stops working at once. False if there is none."""
    row = ScimToken.objects.filter(name=name).first()
    if row is None:
        return False
    record(Action.TOKEN_REVOKED, target=("scim_token", row.pk, name), detail={"name": name})
    row.delete()
    logger.info("SCIM token %s revoked", name)
    return True


def scim_client(request) -> ScimToken | None:
    """The SCIM client the request's `Authorization: Bearer …` header names, or None."""
    token = bearer_key(request)
    if token is None:
        return None
    row = ScimToken.objects.filter(token_hash=ApiToken.hash_key(token)).first()
    if row is not None and (
        row.last_used_at is None or timezone.now() - row.last_used_at > timedelta(minutes=1)
    ):
        ScimToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row
