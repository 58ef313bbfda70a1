"""The override field a form shows once the share guard has warned about its text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.limits import GUARD_OVERRIDE_MAX_CHARS


class GuardOverrideMixin(forms.Form):
    guard_override = forms.CharField(
        label=_("I have a reason to share this"),
        required=False,
        max_length=GUARD_OVERRIDE_MAX_CHARS,
    )

    @property
    def guard_warned(self) -> bool:
        """The guard warned (so the page asks for a reason), or a reason was already given."""
        warned = any(self.has_error(name, "guard_warn") for name in self.errors)
        return warned or bool(self.data.get("guard_override"))


def _level_choices() -> list:
    from kollega.guard.classification import choices

    return [("", _("Default: the community's level, else Internal")), *choices()]


class ClassificationMixin(forms.Form):
    """A `classification` select (the administrator's names for the levels); left at
    the default, a new item gets its community's level, else Internal, and an edited
    one keeps its level. Whether the level fits the audience is the services' to say."""

    classification = forms.TypedChoiceField(
        label=_("Classification"),
        choices=_level_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
