"""Forms for communities. They only shape the input; the rules (empty or duplicate
names, who may do what) live in communities.services and come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.communities.models import Community
from kollega.guard.classification import Level, choices
from kollega.guard.forms import GuardOverrideMixin


class CommunityForm(GuardOverrideMixin, forms.Form):
    name = forms.CharField(label=_("Name"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Comma-separated, e.g. wine, storage"),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Community.Kind.choices,
        initial=Community.Kind.OPEN,
        widget=forms.RadioSelect,
    )
    classification = forms.TypedChoiceField(
        label=_("Classification"),
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        initial=Level.INTERNAL,
        help_text=_(
            "What is written in it is classified at least this. Confidential and Strictly "
            "confidential need a restricted community."
        ),
    )

    def tag_names(self) -> list[str]:
        return [
            t.strip() for t in self.cleaned_data["tags"].replace("#", " ").split(",") if t.strip()
        ]
