"""Listening's panels of the insights dashboard (and of the listening overview page):
mentions per term and day, share of voice against competitors, and response times
per term and owner.

Figures count only the mentions the viewer may work on (the listening team: all;
a term's owner: their terms'); for anyone else the panels are withheld. Mentions
are not people's figures, so the dashboard's department filter does not narrow them.
"""

from collections import Counter
from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.insights.panels import Chart, Figure, Panel, PanelFigures, Row, Selection, register
from kollega.listening.mentions import mean_response_time, response_times_of, workable_mentions
from kollega.listening.models import Term
from kollega.permissions.listening import may_use_inbox

VOLUME_DAYS = 14  # the volume chart shows the period's last two weeks, a column a day
HOUR = timedelta(hours=1)


def _mentions(selection: Selection):
    return workable_mentions(selection.viewer).filter(selection.in_period("created_at"))


def _withheld() -> PanelFigures:
    return PanelFigures(withheld=_("For the listening team and the owners of watch terms."))


def volume_chart(selection: Selection) -> Chart:
    """Mentions per term on each of the period's last `VOLUME_DAYS` days."""
    last = timezone.localdate(selection.end - timedelta(microseconds=1))
    first = max(timezone.localdate(selection.start), last - timedelta(days=VOLUME_DAYS - 1))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    counts = Counter(
        (term, day)
        for term, day in _mentions(selection)
        .annotate(day=TruncDate("created_at"))
        .filter(day__gte=first)
        .values_list("term__phrase", "day")
    )
    terms = sorted({term for term, _day in counts})
    return Chart(
        "volume",
        _("Mentions per term and day"),
        _("New mentions of each watch term on each of the last days of the period."),
        _("Term"),
        [formats.date_format(day, "SHORT_DATE_FORMAT") for day in days],
        [Row(term, [counts[(term, day)] for day in days]) for term in terms],
        kind="matrix",
    )


def share_of_voice(selection: Selection) -> tuple[Chart, float | None]:
    """Each brand, product and competitor term's share of their mentions, and ours (brand
    and product together) as one percentage (None without mentions)."""
    kinds = [Term.Kind.BRAND, Term.Kind.PRODUCT, Term.Kind.COMPETITOR]
    rows = (
        _mentions(selection)
        .filter(term__kind__in=kinds)
        .values_list("term__phrase", "term__kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "term__phrase")
    )
    rows = list(rows)
    total = sum(n for _p, _k, n in rows)
    labels = dict(Term.Kind.choices)
    chart = Chart(
        "share",
        _("Share of voice"),
        _(
            "Each brand, product and competitor term's share of all their mentions in the "
            "period, in per cent."
        ),
        _("Term"),
        [_("Mentions"), _("Share (%)")],
        [
            Row(f"{phrase} ({labels[kind]})", [n, round(100 * n / total, 1)])
            for phrase, kind, n in rows
        ],
    )
    ours = sum(n for _p, kind, n in rows if kind != Term.Kind.COMPETITOR)
    return chart, (round(100 * ours / total, 1) if total else None)


def response_time_chart(selection: Selection) -> Chart:
    """Mean hours from first seen to answered or dismissed, per term and its owner."""
    nobody = _("no owner")
    return Chart(
        "response",
        _("Response time per term and owner"),
        _("Mentions answered or dismissed, and the mean hours from first seen to closed."),
        _("Term — owner"),
        [_("Closed"), _("Mean hours")],
        [
            Row(f"{r['term']} — {r['owner'] or nobody}", [r["closed"], round(r["mean"] / HOUR, 1)])
            for r in response_times_of(_mentions(selection))
        ],
    )


def mentions_panel(selection: Selection) -> PanelFigures:
    if not may_use_inbox(selection.viewer):
        return _withheld()
    share, ours = share_of_voice(selection)
    mentions = _mentions(selection)
    figures = [
        Figure(_("Mentions"), mentions.count()),
        Figure(_("Still open"), mentions.open().count()),
        Figure(_("Our share of voice"), "—" if ours is None else f"{formats.localize(ours)} %"),
    ]
    return PanelFigures(figures=figures, charts=[volume_chart(selection), share])


def response_panel(selection: Selection) -> PanelFigures:
    if not may_use_inbox(selection.viewer):
        return _withheld()
    closed = _mentions(selection).filter(closed_at__isnull=False)
    mean = mean_response_time(closed)
    figures = [
        Figure(_("Answered or dismissed"), closed.count()),
        Figure(
            _("Mean hours to answer or dismiss"),
            "—" if mean is None else formats.localize(round(mean / HOUR, 1)),
        ),
    ]
    return PanelFigures(figures=figures, charts=[response_time_chart(selection)])


register(
    Panel(
        "listening-mentions",
        gettext_lazy("Listening: mentions"),
        mentions_panel,
        gettext_lazy("What is said outside about our names, per day, and our share of voice."),
        order=80,
    )
)
register(
    Panel(
        "listening-response",
        gettext_lazy("Listening: response times"),
        response_panel,
        gettext_lazy("How fast mentions are answered or dismissed, per term and owner."),
        order=81,
    )
)
