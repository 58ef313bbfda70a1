"""Question forms. They only shape the input; the rules live in qa.services."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kollega.guard.forms import ClassificationMixin, GuardOverrideMixin
from kollega.limits import QUESTION_TITLE_MAX_CHARS
from kollega.people.forms import ColleagueField
from kollega.qa.services import QUESTION_AUDIENCES

# The title asks for similar questions as it is typed (the list: "qa/_similar_box.html").
SIMILAR_WHILE_TYPING = {
    "hx-get": reverse_lazy("similar_questions"),
    "hx-trigger": "input changed delay:300ms",
    "hx-target": "#similar-questions",
    "hx-swap": "innerHTML",
    "aria-describedby": "similar-questions",
    "autocomplete": "off",
}


class QuestionForm(ClassificationMixin, GuardOverrideMixin, forms.Form):
    title = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_TITLE_MAX_CHARS,
        widget=forms.TextInput(attrs=SIMILAR_WHILE_TYPING),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("What have you tried? Use #tags and @mentions.")}
        ),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with spaces or commas.")
    )
    audience = forms.ChoiceField(
        label=_("Who may see it"), choices=list(QUESTION_AUDIENCES.items())
    )
    board = ColleagueField(
        label=_("On the board of"),
        required=False,
        help_text=_("A colleague's user name; leave empty to ask on your own board."),
    )

    # Asking in a community and letting Kollega send it on: rendered by qa/_ask_routing.html.
    # A slug; `services.community_to_ask_in` names an unknown one (no "not a valid choice").
    community = forms.CharField(label=_("In the community"), required=False, widget=forms.Select)
    route = forms.BooleanField(
        label=_("Let Kollega send it at once to the colleagues most likely to know"),
        required=False,
    )
    route_batch = forms.CharField(label=_("How many at a time"), required=False, initial="3")
    route_wait_hours = forms.CharField(
        label=_("Working hours to wait before asking the next ones"),
        required=False,
        initial="4",
    )
    OWN_FIELDS = ("community", "route", "route_batch", "route_wait_hours")

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].widget.choices = [("", _("None: ask outside a community"))] + [
            (c.slug, c.name) for c in communities
        ]

    def routing(self):
        """What the asker chose for Kollega's sending (None: they send it themselves)."""
        from kollega.qa.services import Routing

        if not self.cleaned_data.get("route"):
            return None
        data = self.cleaned_data
        return Routing(batch=data["route_batch"] or "3", wait_hours=data["route_wait_hours"] or "4")

    def tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        return [t for t in raw.replace(",", " ").split() if t.strip("#")]


class AnswerForm(GuardOverrideMixin, forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReferForm(forms.Form):
    to = forms.CharField(label=_("Colleague's user name"))
    # No max_length: `refer_question` refuses an over-long note with a message the page shows.
    note = forms.CharField(label=_("Why them? (optional)"), required=False)
