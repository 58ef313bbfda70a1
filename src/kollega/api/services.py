"""Personal access tokens: created, listed and revoked here, and nowhere else.

The key is shown once, when it is created; only its SHA-256 is stored. A
token may expire after a number of days and may be read-only.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.api.models import ApiToken
from kollega.limits import API_TOKEN_MAX_DAYS
from kollega.people.models import Person

DEFAULT_TOKEN_NAME = "Personal token"


@transaction.atomic
def create_token(
    person: Person,
    name: str = DEFAULT_TOKEN_NAME,
    *,
    expires_in_days: int | None = None,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """A new token for `person`; returns the stored row and the key (never stored).

    `expires_in_days`: the token stops working that many days from now (None: never).
    `read_only`: the token may read but not POST, PUT, PATCH or DELETE.
    """
    if not person.user.is_active:
        raise ValidationError(_("This colleague has left."), code="inactive")
    if expires_in_days is not None and not 1 <= expires_in_days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token expires after 1 to %(max)s days."),
            code="expiry",
            params={"max": API_TOKEN_MAX_DAYS},
        )
    key = ApiToken.new_key()
    token = ApiToken(
        person=person,
        name=(name or "").strip() or DEFAULT_TOKEN_NAME,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        scope=ApiToken.Scope.READ_ONLY if read_only else ApiToken.Scope.READ_WRITE,
        expires_at=None
        if expires_in_days is None
        else timezone.now() + timedelta(days=expires_in_days),
    )
    token.full_clean()
    token.save()
    return token, key


def tokens_of(person: Person):
    """`person`'s tokens, newest first."""
    return ApiToken.objects.filter(person=person)


@transaction.atomic
def revoke_token(token_id: int) -> ApiToken:
    """Delete a token; clients using it get 401 from now on."""
    token = ApiToken.objects.select_related("person__user").filter(pk=token_id).first()
    if token is None:
        raise ValidationError(_("There is no token %(id)s."), params={"id": token_id})
    token.delete()
    return token


@transaction.atomic
def revoke_own_token(person: Person, token_id: int) -> ApiToken | None:
    """`person` revokes one of their own tokens; None if they have no such token."""
    token = ApiToken.objects.filter(pk=token_id, person=person).first()
    if token is not None:
        token.delete()
    return token
