"""What the sign-in keeps: failed and refused attempts, and each signed-in session."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInAttempt(models.Model):
    """A failed or refused sign-in, kept for throttling and for the operator to read.

    `counts` is cleared when the account signs in successfully: the failures
    before it no longer bring the account closer to a pause, but stay on record.
    """

    class Outcome(models.TextChoices):
        FAILED = "failed", _("Wrong user name or password")
        REFUSED = "refused", _("Refused: too many failed sign-ins")

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True, db_index=True)
    browser = models.CharField(_("browser"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    counts = models.BooleanField(_("counts towards a pause"), default=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} from {self.address}: {self.outcome}"


class SignedInSession(models.Model):
    """One browser signed in as a person: where from, since when, last seen when.

    Recorded at sign-in; `last_seen_at` and `address` are refreshed at most once a
    minute by `SessionSeenMiddleware`. Signing a session out deletes Django's
    session with it, so that browser is signed out at its next request.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(_("signed in"))
    last_seen_at = models.DateTimeField(_("last seen"))
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    browser = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.person_id} from {self.address} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class ExternalIdentity(models.Model):
    """A person's account at the company's OpenID Connect provider: issuer and subject.

    The pair (`issuer`, `subject`) is the provider's stable name for the person,
    which never changes when their e-mail address or user name does; a person is
    found by it at each sign-in (`accounts.oidc`), never by an e-mail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    linked_at = models.DateTimeField(_("linked"))
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("company sign-in")
        verbose_name_plural = _("company sign-ins")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_person_per_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="one_subject_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class SecondFactor(models.Model):
    """A person's authenticator app (TOTP, RFC 6238), asked for after their password.

    Enrolment starts unconfirmed (`confirmed_at` empty) and counts only once the
    person typed a code from their app. `last_step` is the time step of the last
    code accepted, so a code cannot be used twice.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor"
    )
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"))
    confirmed_at = models.DateTimeField(_("turned on"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("two-step sign-in")
        verbose_name_plural = _("two-step sign-ins")

    def __str__(self) -> str:
        return f"{self.user_id}: {'on' if self.confirmed_at else 'being set up'}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="one_recovery_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {'used' if self.used_at else 'unused'}"
