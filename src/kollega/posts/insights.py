"""The reach panel of the insights dashboard: for the viewer's own posts and blog
entries (a published entry owns a post), how many colleagues were shown them in
their stream, recommended them and commented, per week and by department.

Shown in a stream is read from `insights.Impression` (one row per person, post and
day). Everyone sees their own reach; with a department or community chosen, an
analyst or owner sees how far their own posts reached into it.
"""

from collections import defaultdict
from datetime import datetime, time

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.insights.groups import department_groups
from kollega.insights.models import Impression
from kollega.insights.panels import Chart, Figure, Panel, PanelFigures, Row, Selection, register
from kollega.permissions.insights import MIN_PEOPLE
from kollega.posts.models import Comment, Post, Recommendation

KINDS = ("saw", "reacted", "commented")


def _audience(selection: Selection, rows, who: str):
    """`rows` by the people the selection is about (everyone, for one's own figures)."""
    if selection.scope.is_own:
        return rows.exclude(**{who: selection.viewer})
    return rows.filter(selection.of_people(who)).exclude(**{who: selection.viewer})


def _reached(selection: Selection, mine):
    """(kind, person id, their department id, when) for each colleague reached."""
    saw = _audience(
        selection,
        Impression.objects.filter(post__in=mine, day__gte=selection.start.date()).filter(
            day__lt=selection.end.date()
        ),
        "person",
    ).values_list("person_id", "person__department_id", "day")
    reacted = _audience(
        selection,
        Recommendation.objects.filter(post__in=mine).filter(selection.in_period("created_at")),
        "person",
    ).values_list("person_id", "person__department_id", "created_at")
    commented = _audience(
        selection,
        Comment.objects.filter(post__in=mine).filter(selection.in_period("created_at")),
        "author",
    ).values_list("author_id", "author__department_id", "created_at")
    for kind, rows in zip(KINDS, (saw, reacted, commented), strict=True):
        for person, department, when in rows.order_by():
            yield kind, person, department, when


def _week(selection: Selection, when) -> int:
    if not isinstance(when, datetime):  # a day: its noon
        when = timezone.make_aware(datetime.combine(when, time(12)))
    return min(max(selection.week_of(when), 0), len(selection.weeks()) - 1)


def reach(selection: Selection) -> PanelFigures:
    """How many colleagues the viewer's posts and blog entries reached in the period."""
    mine = Post.objects.filter(author=selection.viewer).values("pk")
    if not mine.exists():
        return PanelFigures(withheld=_("You have not posted anything yet: no reach to show."))
    weeks = selection.weeks()
    weekly = [{k: set() for k in KINDS} for _w in weeks]
    total = {k: set() for k in KINDS}
    # One's own reach is into the whole organisation.
    groups = department_groups(selection, everyone=selection.scope.is_own)
    by_group = defaultdict(lambda: {k: set() for k in KINDS})
    for kind, person, department, when in _reached(selection, mine):
        weekly[_week(selection, when)][kind].add(person)
        total[kind].add(person)
        group = groups.group(department)
        if group is not None:
            by_group[group][kind].add(person)
    figures = [
        Figure(_("Colleagues who saw your posts"), len(total["saw"])),
        Figure(_("Recommended them"), len(total["reacted"])),
        Figure(_("Commented"), len(total["commented"])),
    ]
    series = [_("Saw"), _("Recommended"), _("Commented")]
    over_time = Chart(
        "weekly",
        _("Your reach per week"),
        _(
            "Colleagues shown your posts and blog entries in their stream, and those who "
            "recommended or commented on them, each week."
        ),
        _("Week from"),
        series,
        [
            Row(
                formats.date_format(start, "SHORT_DATE_FORMAT"),
                [len(weekly[i][k]) for k in KINDS],
            )
            for i, start in enumerate(weeks)
        ],
    )
    departments = Chart(
        "by-department",
        _("Your reach by department"),
        _("Colleagues in each department your posts reached in the period."),
        _("Department"),
        series,
        [
            Row(name, [len(by_group[g][k]) for k in KINDS])
            # Counted in the department's name only when five people or more work there.
            if groups.sizes[g] >= MIN_PEOPLE
            else Row(name, hidden=True)
            for g, name in groups.names.items()
        ],
    )
    return PanelFigures(figures=figures, charts=[over_time, departments])


register(
    Panel(
        "reach",
        gettext_lazy("Your reach"),
        reach,
        gettext_lazy("How many colleagues your posts and blog entries reached."),
        order=50,
    )
)
