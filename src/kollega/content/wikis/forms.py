"""Wiki forms. They only shape the input; the rules live in wikis.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.guard.forms import ClassificationMixin, GuardOverrideMixin
from kollega.limits import WIKI_SUMMARY_MAX_CHARS, WIKI_TITLE_MAX_CHARS


class PageForm(ClassificationMixin, GuardOverrideMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=WIKI_TITLE_MAX_CHARS)
    parent = forms.TypedChoiceField(
        label=_("Under the page"), coerce=int, empty_value=None, required=False
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        help_text=_("Markdown; link pages with [[Page name]]."),
        widget=forms.Textarea(
            # The browser stops far above any real page but well below the server's
            # request limit; the service counts bytes and says the limit in words.
            attrs={"rows": 18, "class": "wiki-editor", "spellcheck": "true", "maxlength": 600_000}
        ),
    )
    summary = forms.CharField(
        label=_("What did you change? (optional)"),
        max_length=WIKI_SUMMARY_MAX_CHARS,
        required=False,
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(top of the wiki)"))] + [
            (page.pk, "\u2003" * depth + page.title) for page, depth in parents
        ]


class AttachmentForm(forms.Form):
    image = forms.FileField(label=_("Image"))
