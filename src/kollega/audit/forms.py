"""The administrator's filters on the audit trail (all optional, all from the query string)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.audit.models import ITEM_KIND_NAMES, Action
from kollega.audit.services import KINDS
from kollega.people.services import person_for_operator

ITEM_KINDS = sorted(set(KINDS.values()))


class TrailFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person (user name)"), required=False, max_length=150, strip=True
    )
    kind = forms.ChoiceField(
        label=_("Item kind"),
        required=False,
        choices=[("", _("Any"))] + [(k, ITEM_KIND_NAMES.get(k, k)) for k in ITEM_KINDS],
    )
    item = forms.CharField(label=_("Item id"), required=False, max_length=64, strip=True)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + list(Action.choices)
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2026-01-31.")},
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2026-01-31.")},
    )

    def clean_person(self):
        username = self.cleaned_data["person"]
        if not username:
            return None
        person = person_for_operator(username)
        if person is None:
            raise forms.ValidationError(
                _("Nobody here has the user name %(name)s."), params={"name": username}
            )
        return person

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict:
        """The valid filters, as `services.entries_matching` takes them."""
        data = self.cleaned_data
        return {
            "person": data.get("person"),
            "kind": data.get("kind") or "",
            "item": data.get("item") or "",
            "action": data.get("action") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }
