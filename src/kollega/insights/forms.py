from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollega.limits import INSIGHTS_PERIOD_MAX_DAYS
from kollega.people.models import Department

DEFAULT_DAYS = 56  # eight weeks, ending today


class InsightsFilter(forms.Form):
    """The dashboard's filters: a period (both days included), a department, a community."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    community = forms.TypedChoiceField(
        label=_("Community"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, departments: bool = False, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        defaults = self.clean_defaults()
        self.fields["start"].initial = defaults["start"]
        self.fields["end"].initial = defaults["end"]
        if departments:
            self.fields["department"].queryset = Department.objects.order_by("name")
        else:
            del self.fields["department"]
        choices = [(c.pk, c.name) for c in communities]
        if choices:
            self.fields["community"].choices = [("", _("All"))] + choices
        else:
            del self.fields["community"]

    @staticmethod
    def clean_defaults() -> dict:
        """The filters when none are given: the last eight weeks, everyone one may see."""
        end = timezone.localdate()
        return {"start": end - timedelta(days=DEFAULT_DAYS - 1), "end": end}

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (end - start).days >= INSIGHTS_PERIOD_MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of two years at most."))
        data["start"], data["end"] = start, end
        return data
