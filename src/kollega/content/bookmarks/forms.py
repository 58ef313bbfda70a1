"""Bookmark forms. They only shape the input; the rules live in bookmarks.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.content.bookmarks.models import BookmarkAudience
from kollega.guard.forms import ClassificationMixin, GuardOverrideMixin


class BookmarkForm(ClassificationMixin, GuardOverrideMixin, forms.Form):
    # A CharField, not a URLField: the service says what is wrong with an address.
    url = forms.CharField(label=_("Address"), required=False)
    title = forms.CharField(label=_("Title"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with spaces or commas.")
    )
    audience = forms.ChoiceField(
        label=_("Who may see it"),
        choices=BookmarkAudience.choices,
        initial=BookmarkAudience.ORGANISATION,
    )
    community = forms.ChoiceField(label=_("Community"), required=False, choices=[])

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "—")] + [(c.slug, c.name) for c in communities]

    def tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        return [t for t in raw.replace(",", " ").split() if t.strip("#")]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bookmark file"),
        help_text=_("The HTML file your browser exports (Netscape bookmark format)."),
    )
    audience = forms.ChoiceField(
        label=_("Who may see the imported links"),
        choices=[c for c in BookmarkAudience.choices if c[0] != BookmarkAudience.COMMUNITY],
        initial=BookmarkAudience.PRIVATE,
    )
