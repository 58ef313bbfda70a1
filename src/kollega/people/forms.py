from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.people.models import Department, Office, Person


class ProfileForm(forms.ModelForm):
    """The parts of a profile a person edits themself."""

    class Meta:
        model = Person
        fields = [
            "name", "title", "department", "office", "manager", "languages", "about",
            "phone", "photo", "board_visibility", "language",
        ]  # fmt: skip
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = Person.objects.active().exclude(pk=self.instance.pk)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The photo is too large (at most 2 MB)."))
        return photo


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
