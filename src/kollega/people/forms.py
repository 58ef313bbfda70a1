from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.people.models import Department, Office, Person, time_zone_names


class ColleagueInput(forms.TextInput):
    """A text field for a colleague's user name, with the people picker's suggestions
    (people/_picker.html); without scripts it is a plain text field."""

    template_name = "people/_picker_widget.html"


class ColleagueField(forms.CharField):
    """One colleague, named by user name (with or without "@"): cleans to the active
    person, or None when left empty; an unknown name is a clear error."""

    widget = ColleagueInput

    def prepare_value(self, value):
        if isinstance(value, Person):
            return value.handle
        if isinstance(value, int):  # a model form's initial value: the person's id
            return (
                Person.objects.filter(pk=value).values_list("user__username", flat=True).first()
                or ""
            )
        return value

    def clean(self, value):
        from kollega.people.services import person_by_handle

        handle = (super().clean(value) or "").strip().lstrip("@")
        if not handle:
            return None
        person = person_by_handle(handle)
        if person is None:
            raise forms.ValidationError(
                _("Nobody here is called %(handles)s."), params={"handles": "@" + handle}
            )
        return person


class ProfileForm(forms.ModelForm):
    """The parts of a profile a person edits themself."""

    class Meta:
        model = Person
        fields = [
            "name", "title", "department", "office", "manager", "languages", "about",
            "phone", "photo", "board_visibility", "language", "time_zone",
        ]  # fmt: skip
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}

    # Named with the people picker: a list of every colleague would not fit a page.
    manager = ColleagueField(label=_("Manager"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget = forms.Select(
            choices=[("", _("As my office"))] + [(tz, tz) for tz in time_zone_names()]
        )

    def clean_manager(self):
        manager = self.cleaned_data.get("manager")
        if manager is not None and manager.pk == self.instance.pk:
            raise forms.ValidationError(_("You cannot be your own manager."))
        return manager

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
