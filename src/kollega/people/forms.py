from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.people.models import Department, Office, Person, time_zone_names


class ProfileForm(forms.ModelForm):
    """The parts of a profile a person edits themself."""

    class Meta:
        model = Person
        fields = [
            "name", "title", "department", "office", "manager", "languages", "about",
            "phone", "photo", "board_visibility", "language", "time_zone",
        ]  # fmt: skip
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = Person.objects.active().exclude(pk=self.instance.pk)
        self.fields["time_zone"].widget = forms.Select(
            choices=[("", _("As my office"))] + [(tz, tz) for tz in time_zone_names()]
        )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The photo is too large (at most 2 MB)."))
        return photo


class PrivacyForm(forms.ModelForm):
    """One's privacy settings (`permissions.privacy`): radio buttons and checkboxes,
    each group a fieldset with its legend, usable with the keyboard alone."""

    class Meta:
        model = Person
        fields = [
            "contacts_seen_by", "phone_seen_by", "location_seen_by",
            "in_who_knows", "in_recommendations",
        ]  # fmt: skip
        widgets = {
            "contacts_seen_by": forms.RadioSelect,
            "phone_seen_by": forms.RadioSelect,
            "location_seen_by": forms.RadioSelect,
        }
        labels = {
            "contacts_seen_by": _("Who may see my contacts"),
            "phone_seen_by": _("Who may see my phone number"),
            "location_seen_by": _("Who may see my office and city"),
            "in_who_knows": _("Show me in “Who knows?” and when questions are routed"),
            "in_recommendations": _("Suggest me to colleagues in recommendations"),
        }
        help_texts = {
            "contacts_seen_by": _(
                "Your contact list, how many contacts you have, the contacts you share with "
                "someone and the chain of introductions to you."
            ),
            "location_seen_by": _(
                "Colleagues who may not see it do not find you by filtering on your office."
            ),
            "in_who_knows": _(
                "When off, colleagues do not find you when they ask who knows about a topic."
            ),
        }


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name or title"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.all(), required=False
    )
    tag = forms.CharField(label=_("Tag"), required=False)


class TagForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        help_text=_("Separate tags with commas or spaces."),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. wine, storage, brewing")}),
    )

    def names(self) -> list[str]:
        raw = self.cleaned_data["tags"].replace(",", " ")
        return [n for n in raw.split() if n]
