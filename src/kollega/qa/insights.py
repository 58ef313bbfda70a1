"""The questions panel of the insights dashboard: answer rate, time to the first and
to the accepted answer (median and distribution) and referral hops, over time and
by department, community and tag.

Only questions the viewer may see are counted (`Question.objects.visible_to`), as
on the questions overview, whose week figures (`WeekFigures`) are reused here.
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.communities.models import Community
from kollega.insights.groups import department_groups
from kollega.insights.panels import Chart, Figure, Panel, PanelFigures, Row, Selection, register
from kollega.qa.models import Question
from kollega.qa.services.reading import WeekFigures, _median
from kollega.qa.templatetags.qa_tags import duration

TOP_TAGS = 10
HOUR = timedelta(hours=1)
# Upper bounds of the time-to-answer distribution's bins.
BINS = [
    (timedelta(hours=1), gettext_lazy("under 1 hour")),
    (timedelta(hours=4), gettext_lazy("1–4 hours")),
    (timedelta(days=1), gettext_lazy("4–24 hours")),
    (timedelta(days=3), gettext_lazy("1–3 days")),
    (timedelta(days=7), gettext_lazy("3–7 days")),
    (None, gettext_lazy("over a week")),
]


def _figures(rows, start) -> WeekFigures:
    to_first = [first - asked for _pk, asked, first, *_rest in rows if first]
    to_accepted = [acc - asked for _pk, asked, _first, acc, *_rest in rows if acc]
    return WeekFigures(
        start=start,
        asked=len(rows),
        answered=len(to_first),
        accepted=len(to_accepted),
        median_to_first_answer=_median(to_first),
        median_to_accepted_answer=_median(to_accepted),
    )


def _hours(value: timedelta | None):
    return None if value is None else round(value / HOUR, 1)


def _bin(span: timedelta) -> int:
    return next(i for i, (bound, _label) in enumerate(BINS) if bound is None or span < bound)


def _grouped(title, key, heading, groups: dict, names: dict, shown) -> Chart:
    """Asked, answer rate and median hours to a first answer for each group of questions."""
    rows = []
    for group, name in names.items():
        figures = _figures(groups.get(group, []), None)
        if not shown(group):
            rows.append(Row(name, hidden=True))
            continue
        rows.append(
            Row(
                name,
                [
                    figures.asked,
                    figures.answer_rate or 0,
                    _hours(figures.median_to_first_answer),
                ],
            )
        )
    return Chart(
        key,
        title,
        _("Questions asked, the share answered and the median time to a first answer."),
        heading,
        [_("Asked"), _("Answered (%)"), _("Median hours to first answer")],
        rows,
    )


def questions(selection: Selection) -> PanelFigures:
    """Questions asked in the period by the selected people (in the selected community)."""
    asked = (
        Question.objects.visible_to(selection.viewer)
        .filter(selection.in_period("asked_at"))
        .filter(selection.of_people("post__author"))
    )
    if selection.community is not None:
        asked = asked.filter(post__community=selection.community)
    rows = list(
        asked.order_by().values_list(
            "pk",
            "asked_at",
            "first_answered_at",
            "accepted_at",
            "referral_hops",
            "post__author__department_id",
            "post__community_id",
            "post__author_id",
        )
    )
    total = _figures(rows, selection.start)
    figures = [
        Figure(_("Questions asked"), total.asked),
        Figure(
            _("Answer rate"),
            "—" if total.answer_rate is None else f"{total.answer_rate} %",
        ),
        Figure(_("Median time to first answer"), duration(total.median_to_first_answer)),
        Figure(_("Median time to accepted answer"), duration(total.median_to_accepted_answer)),
    ]
    if not rows:
        return PanelFigures(figures=figures)
    return PanelFigures(
        figures=figures,
        charts=[
            _weekly(selection, rows),
            _distribution(rows),
            _hops(rows),
            *_by_group(selection, asked, rows),
        ],
    )


def _weekly(selection: Selection, rows) -> Chart:
    weeks = selection.weeks()
    by_week = defaultdict(list)
    for row in rows:
        by_week[selection.week_of(row[1])].append(row)
    table = []
    for i, start in enumerate(weeks):
        week = _figures(by_week[i], start)
        table.append(
            Row(
                formats.date_format(start, "SHORT_DATE_FORMAT"),
                [week.asked, week.answered, week.accepted],
            )
        )
    return Chart(
        "weekly",
        _("Questions per week"),
        _("Questions asked, answered and with an accepted answer, by the week they were asked."),
        _("Week from"),
        [_("Asked"), _("Answered"), _("Accepted")],
        table,
    )


def _distribution(rows) -> Chart:
    first, accepted = Counter(), Counter()
    for _pk, asked_at, first_at, accepted_at, *_rest in rows:
        if first_at:
            first[_bin(first_at - asked_at)] += 1
        if accepted_at:
            accepted[_bin(accepted_at - asked_at)] += 1
    return Chart(
        "time-to-answer",
        _("Time to answer"),
        _("How many questions had their first and their accepted answer within each time."),
        _("Time after asking"),
        [_("First answer"), _("Accepted answer")],
        [Row(str(label), [first[i], accepted[i]]) for i, (_b, label) in enumerate(BINS)],
    )


def _hops(rows) -> Chart:
    hops = Counter(min(row[4], 3) for row in rows)
    labels = [
        _("Asked nobody"),
        _("Sent directly"),
        _("Referred once"),
        _("Referred twice or more"),
    ]
    return Chart(
        "referral-hops",
        _("Referral hops"),
        _("How far each question travelled: sent to someone, then referred on by them."),
        _("Longest chain"),
        [_("Questions")],
        [Row(label, [hops[i]]) for i, label in enumerate(labels)],
    )


def _askers(rows) -> int:
    return len({row[7] for row in rows})


def _by_group(selection: Selection, asked, rows) -> list[Chart]:
    groups = department_groups(selection)
    by_department = defaultdict(list)
    for row in rows:
        by_department[groups.group(row[5])].append(row)
    charts = [
        _grouped(
            _("Questions by department"),
            "by-department",
            _("Department"),
            by_department,
            groups.names,
            lambda g: selection.shows(groups.sizes.get(g, 0)),
        )
    ]
    by_community = defaultdict(list)
    for row in rows:
        if row[6] is not None:
            by_community[row[6]].append(row)
    if by_community:
        names = dict(
            Community.objects.filter(pk__in=by_community).order_by("name").values_list("pk", "name")
        )
        charts.append(
            _grouped(
                _("Questions by community"),
                "by-community",
                _("Community"),
                by_community,
                names,
                lambda c: selection.shows(_askers(by_community[c])),
            )
        )
    tagged = defaultdict(list)
    by_id = {row[0]: row for row in rows}
    for pk, tag in asked.order_by().values_list("pk", "post__tags__name"):
        if tag:
            tagged[tag].append(by_id[pk])
    if tagged:
        top = sorted(tagged, key=lambda t: (-len(tagged[t]), t))[:TOP_TAGS]
        charts.append(
            _grouped(
                _("Questions by tag (most asked)"),
                "by-tag",
                _("Tag"),
                tagged,
                {t: f"#{t}" for t in top},
                lambda t: selection.shows(_askers(tagged[t])),
            )
        )
    return charts


register(
    Panel(
        "questions",
        gettext_lazy("Questions"),
        questions,
        gettext_lazy("How fast questions are answered, and how far they travel to be."),
        order=10,
    )
)
