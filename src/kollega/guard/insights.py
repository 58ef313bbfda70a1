"""The share guard's panel of the insights dashboard: how often it stopped a write and
how often a warning was overridden with a reason, per week and by what it found.

Read from the audit trail (`Action.GUARD_BLOCK`, `Action.GUARD_OVERRIDE`), where
`guard.services.record_block` / `record_override` write them; never the texts.
"""

from collections import Counter

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.audit.models import Action, Entry
from kollega.guard.services import KIND_NAMES
from kollega.insights.panels import Chart, Figure, Panel, PanelFigures, Row, Selection, register


def guard(selection: Selection) -> PanelFigures:
    """Blocks and overrides by the selected people, per week and by kind of finding."""
    if selection.community is not None:
        return PanelFigures(withheld=_("The share guard is not counted per community."))
    entries = (
        Entry.objects.filter(action__in=[Action.GUARD_BLOCK, Action.GUARD_OVERRIDE])
        .filter(selection.in_period("at"))
        .filter(selection.of_people("actor"))
        .order_by()
        .values_list("at", "action", "detail")
    )
    weeks = selection.weeks()
    blocks, overrides = [0] * len(weeks), [0] * len(weeks)
    kinds = {Action.GUARD_BLOCK: Counter(), Action.GUARD_OVERRIDE: Counter()}
    for at, action, detail in entries:
        (blocks if action == Action.GUARD_BLOCK else overrides)[selection.week_of(at)] += 1
        kinds[action].update((detail or {}).get("kinds", []))
    weekly = Chart(
        "weekly",
        _("Writes stopped and warnings overridden per week"),
        _(
            "How often the share guard stopped a post, comment, answer or page, and how "
            "often its warning was overridden with a reason, each week."
        ),
        _("Week from"),
        [_("Stopped"), _("Overridden")],
        [
            Row(formats.date_format(start, "SHORT_DATE_FORMAT"), [blocks[i], overrides[i]])
            for i, start in enumerate(weeks)
        ],
    )
    found = sorted(
        set(kinds[Action.GUARD_BLOCK]) | set(kinds[Action.GUARD_OVERRIDE]),
        key=lambda k: -(kinds[Action.GUARD_BLOCK][k] + kinds[Action.GUARD_OVERRIDE][k]),
    )
    by_kind = Chart(
        "kinds",
        _("What the share guard found"),
        _("For the writes stopped and the warnings overridden, what the guard found in them."),
        _("Found"),
        [_("Stopped"), _("Overridden")],
        [
            Row(
                str(KIND_NAMES.get(kind, kind)),
                [kinds[Action.GUARD_BLOCK][kind], kinds[Action.GUARD_OVERRIDE][kind]],
            )
            for kind in found
        ],
    )
    return PanelFigures(
        figures=[
            Figure(_("Writes stopped"), sum(blocks)),
            Figure(_("Warnings overridden"), sum(overrides)),
        ],
        charts=[weekly, by_kind],
    )


register(
    Panel(
        "guard",
        gettext_lazy("Share guard"),
        guard,
        gettext_lazy("What the share guard stopped, and which warnings were overridden."),
        order=60,
    )
)
