"""Blog forms. They only shape the input; the rules live in blogs.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.content.blogs.services import BLOG_AUDIENCES, checked_publish_at
from kollega.guard.forms import ClassificationMixin, GuardOverrideMixin


class EntryForm(ClassificationMixin, GuardOverrideMixin, forms.Form):
    title = forms.CharField(label=_("Title"), required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        help_text=_("Markdown: *emphasis*, **bold**, lists, `code`, links, #tags and @mentions."),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with spaces or commas.")
    )
    audience = forms.ChoiceField(
        label=_("Who may see it"), choices=list(BLOG_AUDIENCES.items()), required=False
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("For “Schedule”: the date and time to publish it."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, audiences=None, **kwargs):
        """`audiences`: the choices this author has (`services.blog_audiences`); "Public"
        only for a person with public pages."""
        super().__init__(*args, **kwargs)
        if audiences is not None:
            self.fields["audience"].choices = audiences

    def clean_publish_at(self):
        """A time given and changed must be in the future, unless the entry is published now
        ("Publish now" ignores it): a past time is never saved as a draft without a word."""
        publish_at = self.cleaned_data.get("publish_at")
        publishing_now = self.data.get("action") == "publish"
        if publish_at and "publish_at" in self.changed_data and not publishing_now:
            publish_at = checked_publish_at(publish_at)
        return publish_at

    def tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        return [t for t in raw.replace(",", " ").split() if t.strip("#")]
