"""Two-step sign-in: an authenticator app's code (TOTP, pyotp) after the password.

A person turns it on at /settings/security/: `start_enrolment` gives a secret,
shown as text and as an `otpauth://` address an authenticator app takes;
`confirm_enrolment` turns it on once they typed a code from the app and gives
`RECOVERY_CODES` one-time recovery codes, shown once and kept only as hashes.
From then on, the sign-in page asks for a code after the right password
(`accounts.views.SignInCodeView`); wrong codes count towards the same pauses
as wrong passwords (`accounts.signin`). `turn_off` needs a current code.

Only local passwords ask for it: the company sign-in has its own second factor.
"""

import hashlib
import secrets

import pyotp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.accounts.models import RecoveryCode, SecondFactor

ISSUER_NAME = "Kollega"
RECOVERY_CODES = 10
# Codes from the step before and after the current one still count (clock drift).
VALID_WINDOW = 1


def is_on(user) -> bool:
    """True if `user` must give a code after their password."""
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def factor_of(user) -> SecondFactor | None:
    """`user`'s authenticator app, on or being set up, or None."""
    return SecondFactor.objects.filter(user=user).first()


@transaction.atomic
def start_enrolment(user) -> SecondFactor:
    """A fresh, unconfirmed secret for `user` (replacing one not yet confirmed).

    Raises ValidationError if two-step sign-in is already on.
    """
    if is_on(user):
        raise ValidationError(_("Two-step sign-in is already on."), code="already_on")
    factor, _created = SecondFactor.objects.update_or_create(
        user=user,
        defaults={"secret": pyotp.random_base32(), "created_at": timezone.now(), "last_step": 0},
    )
    return factor


def provisioning_uri(factor: SecondFactor) -> str:
    """The `otpauth://totp/…` address an authenticator app takes for this secret."""
    return pyotp.TOTP(factor.secret).provisioning_uri(
        name=factor.user.get_username(), issuer_name=ISSUER_NAME
    )


def _step_of(factor: SecondFactor, code: str) -> int | None:
    """The time step at which `code` is valid for `factor`, if it is valid now and unused."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(factor.secret)
    current = int(timezone.now().timestamp() // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step if step > factor.last_step else None
    return None


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits each, used once
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(c)) for c in codes)
    return codes


@transaction.atomic
def confirm_enrolment(user, code: str) -> list[str]:
    """Turn two-step sign-in on with a first code from the app; the recovery codes.

    Raises ValidationError if there is no enrolment to confirm or the code is wrong.
    """
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    if factor is None or factor.confirmed_at is not None:
        raise ValidationError(_("Start setting up two-step sign-in first."), code="no_enrolment")
    step = _step_of(factor, code)
    if step is None:
        raise ValidationError(
            _("That code is not right. Check the clock of your device and try again."),
            code="wrong_code",
        )
    factor.confirmed_at, factor.last_step = timezone.now(), step
    factor.save(update_fields=["confirmed_at", "last_step"])
    return _new_recovery_codes(user)


@transaction.atomic
def check_code(user, code: str) -> bool:
    """True if `code` is a current code from `user`'s app, or an unused recovery code
    (which is then used up). A code once accepted is not accepted again."""
    factor = (
        SecondFactor.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if factor is None:
        return False
    step = _step_of(factor, code)
    if step is not None:
        factor.last_step = step
        factor.save(update_fields=["last_step"])
        return True
    return bool(
        RecoveryCode.objects.filter(user=user, code_hash=_hash(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
    )


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def turn_off(user, code: str) -> None:
    """Turn two-step sign-in off; needs a current code (or a recovery code).

    Raises ValidationError if the code is wrong.
    """
    if not check_code(user, code):
        raise ValidationError(_("That code is not right."), code="wrong_code")
    SecondFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
