"""Composer forms. They only shape the input; the rules (empty, too long,
mentions, audience) live in posts.services and come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.guard.forms import ClassificationMixin, GuardOverrideMixin
from kollega.posts.models import Audience


class PostForm(ClassificationMixin, GuardOverrideMixin, forms.Form):
    body = forms.CharField(
        label=_("Status update"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("What are you working on?")}),
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        # A community is chosen with `community` (the audience then follows); only a blog
        # entry can be public.
        choices=[c for c in Audience.choices if c[0] not in (Audience.COMMUNITY, Audience.PUBLIC)],
        initial=Audience.ORGANISATION,
        required=False,
    )
    community = forms.IntegerField(label=_("Community"), required=False)

    def clean_audience(self) -> str:
        # A community's composer sends no audience: the community is the audience.
        return self.cleaned_data["audience"] or Audience.ORGANISATION


class CommentForm(GuardOverrideMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Write a comment…")}),
    )


class EditForm(GuardOverrideMixin, forms.Form):
    """The edit page of anything written: a question also has its title and tags."""

    title = forms.CharField(label=_("Title"), required=False)
    body = forms.CharField(
        label=_("Text"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with spaces or commas.")
    )

    def tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        return [t for t in raw.replace(",", " ").split() if t.strip("#")]
