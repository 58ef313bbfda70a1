"""Composer forms. They only shape the input; the rules (empty, too long,
mentions, audience) live in posts.services and come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.posts.models import Audience


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Status update"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("What are you working on?")}),
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Audience.choices, initial=Audience.ORGANISATION
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Write a comment…")}),
    )
