"""The registry of insight panels: the one contract between `insights` and the apps.

Each app measures itself in its own `insights.py` module (found at start by
`InsightsConfig.ready`, as the admin finds `admin.py`) and registers its panels:

    from kollega.insights.panels import Chart, Panel, PanelFigures, Row, register

    def questions(selection) -> PanelFigures: ...

    register(Panel("questions", _("Questions"), questions, order=10))

A panel's function gets a `Selection` (who looks, which period, whose figures)
and returns `PanelFigures`: headline figures and charts. The insights app draws,
tabulates and exports every chart the same way; it never reads a panel's models.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from kollega.permissions.insights import InsightScope, shows

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Selection:
    """What a panel measures: `scope.people`'s figures (None: everyone), content of
    `scope.community` when set, from `start` up to (not including) `end`."""

    viewer: object
    scope: InsightScope
    start: datetime
    end: datetime
    # How many people `scope.people` holds (everyone active, when it is None).
    people_count: int = 0

    @property
    def community(self):
        return self.scope.community

    def of_people(self, field_name: str) -> Q:
        """A filter keeping rows whose `field_name` (a person) is one of the selected people."""
        if self.scope.people is None:
            return Q()
        return Q(**{f"{field_name}__in": self.scope.people})

    def in_period(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})

    def weeks(self) -> list[datetime]:
        """The starts of the period's weeks (the last may be cut short by `end`)."""
        starts, at = [], self.start
        while at < self.end:
            starts.append(at)
            at += WEEK
        return starts

    def week_of(self, when: datetime) -> int:
        """The index in `weeks()` of the week `when` falls in."""
        return int((when - self.start) / WEEK)

    def shows(self, people: int) -> bool:
        """Whether a figure about `people` people may be shown (see permissions.insights)."""
        return shows(self.scope, people)


@dataclass
class Row:
    """One row of a chart's table: a label, one value per series; `hidden` when the row is
    about too few people to show (its values are then never computed into the page)."""

    label: str
    values: list = field(default_factory=list)
    hidden: bool = False


@dataclass
class Chart:
    """A chart and the table beside it. `kind` is "bars" (one bar per series in each row)
    or "matrix" (rows × series, shaded by value)."""

    key: str
    title: str
    description: str
    label_heading: str
    series: list[str]
    rows: list[Row]
    kind: str = "bars"
    unit: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(v for row in self.rows if not row.hidden for v in row.values)


@dataclass
class Figure:
    """A headline number (already a display string or a number) with its label."""

    label: str
    value: object
    note: str = ""


@dataclass
class PanelFigures:
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # Set when the whole panel cannot be shown (too few people, not for this viewer).
    withheld: str = ""


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    compute: Callable[[Selection], PanelFigures]
    description: str = ""
    order: int = 100
    # Whether the panel is shown for a viewer's own figures (Scope.OWN).
    for_own: bool = True


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    """Add `panel` to the dashboard (registering a key again replaces it)."""
    _panels[panel.key] = panel
    return panel


def registered() -> list[Panel]:
    """Every registered panel, in dashboard order."""
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def panel(key: str) -> Panel | None:
    return _panels.get(key)


# Apps whose panels read rollups register how to refresh them (`refresh(rebuild,
# progress) -> days`); `kollega insights rollup` and the periodic job call them all.
_refreshers: dict[str, Callable] = {}


def register_rollup(key: str, refresh: Callable) -> None:
    """Have `refresh` run by the periodic rollup job and `kollega insights rollup`."""
    _refreshers[key] = refresh


def rollups() -> dict[str, Callable]:
    """Every registered rollup refresher, by key."""
    return dict(_refreshers)
