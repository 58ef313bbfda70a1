from django import forms
from django.utils.translation import gettext_lazy as _

from kollega.limits import EXPERTS_QUERY_MAX_CHARS
from kollega.people.models import Department, Office


class ExpertsForm(forms.Form):
    q = forms.CharField(label=_("Who knows about"), max_length=EXPERTS_QUERY_MAX_CHARS)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.all(), required=False
    )
