"""The insights dashboard: which panels a viewer sees, for which selection, and each
chart's data as CSV. Panels themselves are computed by the apps that own the data
(their `insights.py`, see `insights.panels`)."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.insights.panels import Chart, PanelFigures, Selection, registered
from kollega.insights.panels import panel as registered_panel
from kollega.people.models import Department, Person
from kollega.permissions import NotFound
from kollega.permissions.insights import Scope, insight_scope

TOO_FEW = "too_few"


@dataclass
class ShownPanel:
    key: str
    title: str
    description: str
    figures: PanelFigures


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def selection_for(
    viewer: Person,
    start: date,
    end: date,
    department: Department | None = None,
    community_id: int | None = None,
) -> Selection:
    """The selection `viewer` may see for the period from `start` to `end` (both days
    included) and the filters; `NotFound` / `PermissionDenied` as `insight_scope` says."""
    scope = insight_scope(viewer, department, community_id)
    if scope.people is None:
        count = Person.objects.filter(user__is_active=True).count()
    else:
        count = Person.objects.filter(pk__in=scope.people, user__is_active=True).count()
    return Selection(
        viewer=viewer,
        scope=scope,
        start=_midnight(start),
        end=_midnight(end + timedelta(days=1)),
        people_count=count,
    )


def is_in_future(selection: Selection, now=None) -> bool:
    return selection.start > (now or timezone.now())


def panel_figures(selection: Selection, panel) -> PanelFigures:
    """One panel's figures for `selection`, or why they are withheld."""
    if selection.scope.kind == Scope.OWN and not panel.for_own:
        return PanelFigures(
            withheld=_("Shown to community owners and analysts, for the people they look after.")
        )
    if not selection.shows(selection.people_count):
        return PanelFigures(withheld=_("Too few people to show."))
    return panel.compute(selection)


def dashboard(selection: Selection) -> list[ShownPanel]:
    """Every registered panel, computed for `selection`."""
    return [
        ShownPanel(p.key, str(p.title), str(p.description), panel_figures(selection, p))
        for p in registered()
    ]


def chart_of(selection: Selection, panel_key: str, chart_key: str) -> Chart:
    """The chart `chart_key` of panel `panel_key` for `selection`; else `NotFound`."""
    panel = registered_panel(panel_key)
    if panel is None:
        raise NotFound
    figures = panel_figures(selection, panel)
    chart = next((c for c in figures.charts if c.key == chart_key), None)
    if chart is None:
        raise NotFound
    return chart


def chart_csv(chart: Chart) -> str:
    """The chart's table as CSV: the same rows and values the page shows beside it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([chart.label_heading, *chart.series])
    for row in chart.rows:
        if row.hidden:
            writer.writerow([row.label, *[_("too few people to show")] * len(chart.series)])
        else:
            writer.writerow([row.label, *["" if v is None else v for v in row.values]])
    return out.getvalue()


def refresh_rollups(rebuild: bool = False, progress=None) -> dict[str, int]:
    """Refresh every panel's rollups (`panels.register_rollup`); days rolled up, by key."""
    from kollega.insights.panels import rollups

    return {key: refresh(rebuild=rebuild, progress=progress) for key, refresh in rollups().items()}
