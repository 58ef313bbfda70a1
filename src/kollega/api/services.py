"""Personal access tokens: created, listed and revoked here, and nowhere else.

The key is shown once, when it is created; only its SHA-256 is stored.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollega.api.models import ApiToken
from kollega.people.models import Person

DEFAULT_TOKEN_NAME = "Personal token"


@transaction.atomic
def create_token(person: Person, name: str = DEFAULT_TOKEN_NAME) -> tuple[ApiToken, str]:
    """A new token for `person`; returns the stored row and the key (never stored)."""
    if not person.user.is_active:
        raise ValidationError(_("This colleague has left."), code="inactive")
    key = ApiToken.new_key()
    token = ApiToken(
        person=person,
        name=(name or "").strip() or DEFAULT_TOKEN_NAME,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
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
