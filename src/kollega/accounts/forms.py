from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kollega.accounts import two_step
from kollega.api.models import ApiToken
from kollega.api.services import DEFAULT_TOKEN_NAME


class ThrottledFormMixin:
    """Say "too many failed sign-ins; try again in N minutes" when the backend paused us,
    or "use the company sign-in" when local passwords are off for this account."""

    throttled = None
    passwords_off = None

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            passwords_off = getattr(self.request, "passwords_off", None)
            if passwords_off is not None:
                self.passwords_off = passwords_off
                raise ValidationError(str(passwords_off), code="passwords_off") from None
            refused = getattr(self.request, "sign_in_refused", None)
            if refused is None:
                raise
            self.throttled = refused
            raise ValidationError(refused.message, code="throttled") from None


class SignInForm(ThrottledFormMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledFormMixin, AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if two_step.is_on(user):
            # The admin's own sign-in asks for no code: sign in on the sign-in page.
            raise ValidationError(
                _("Your account asks for a code: sign in on Kollega's sign-in page first."),
                code="two_step",
            )


class TokenForm(forms.Form):
    EXPIRY_CHOICES = [
        ("", _("Never")),
        ("7", _("In 7 days")),
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
    ]

    name = forms.CharField(
        label=_("What is it for?"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": DEFAULT_TOKEN_NAME}),
    )
    expires_in = forms.TypedChoiceField(
        label=_("Expires"),
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )
    scope = forms.ChoiceField(
        label=_("May"),
        choices=[
            (ApiToken.Scope.READ_ONLY, _("Read only")),
            (ApiToken.Scope.READ_WRITE, _("Read and write")),
        ],
        initial=ApiToken.Scope.READ_ONLY,
        widget=forms.RadioSelect,
    )
