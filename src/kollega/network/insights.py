"""The network and silo-bridging panels of the insights dashboard.

Network: contacts and follows made per week, weekly active people (who wrote a
post, a comment or an answer, or recommended a post) and adoption by department.
Silo bridging: a department × department matrix of contacts, answers and comments
made in the period, and the share of those ties that cross departments, per week
— is the intranet connecting the organisation or mirroring the org chart?
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.insights.groups import NO_DEPARTMENT, department_groups
from kollega.insights.panels import (
    WEEK,
    Chart,
    Figure,
    Panel,
    PanelFigures,
    Row,
    Selection,
    register,
    register_rollup,
)
from kollega.network import rollups
from kollega.network.models import ActiveDay, Contact, DayTies, PersonFollow
from kollega.posts.models import Comment, Post, Recommendation
from kollega.qa.models import Answer


def _week_label(start) -> str:
    return formats.date_format(start, "SHORT_DATE_FORMAT")


def _contacts(selection: Selection):
    """Contacts made in the period with one of the selected people, each pair once."""
    pairs = Contact.objects.filter(selection.in_period("since")).filter(
        selection.of_people("person")
    )
    if selection.scope.people is None:
        return pairs.filter(person_id__lt=F("contact_id"))
    return pairs.filter(~Q(contact__in=selection.scope.people) | Q(person_id__lt=F("contact_id")))


def _active_weeks(selection: Selection) -> set[tuple[int, int]]:
    """(person id, week index) for each week a selected person wrote or recommended."""
    sources = [
        (Post.objects, "author_id", "created_at"),
        (Comment.objects, "author_id", "created_at"),
        (Answer.objects, "author_id", "created_at"),
        (Recommendation.objects, "person_id", "created_at"),
    ]
    active = set()
    for manager, who, when in sources:
        rows = (
            manager.filter(selection.in_period(when))
            .filter(selection.of_people(who.removesuffix("_id")))
            .order_by()
            .values_list(who, when)
        )
        start = selection.start
        # Plain arithmetic per row: a time-zone conversion per row cost more than the query.
        active.update((person_id, (moment - start) // WEEK) for person_id, moment in rows)
    return active


def _rolled(selection: Selection) -> bool:
    """Whether `selection` is read from the rollups: a whole organisation's or a
    department's figures once rolled up; one's own and a community's are small."""
    return not selection.scope.is_own and selection.community is None and rollups.rolled_up()


def _departments(selection: Selection) -> list[int] | None:
    """The department ids a rolled-up selection covers (None: everyone)."""
    from kollega.people.services import department_subtree

    department = selection.scope.department
    return None if department is None else department_subtree(department)


def _days(selection: Selection) -> tuple:
    first = timezone.localdate(selection.start)
    return first, timezone.localdate(selection.end - timedelta(microseconds=1))


def _rolled_network(selection: Selection):
    """Contacts and follows per week, active people per week, in the period and by
    department, from the rollups."""
    first, last = _days(selection)
    weeks = len(selection.weeks())
    departments = _departments(selection)
    ties = DayTies.objects.filter(day__gte=first, day__lte=last)
    active = ActiveDay.objects.filter(day__gte=first, day__lte=last)
    if departments is not None:
        ties = ties.filter(
            Q(kind=DayTies.Kind.FOLLOW, from_department__in=departments)
            | (
                Q(kind=DayTies.Kind.CONTACT)
                & (Q(from_department__in=departments) | Q(to_department__in=departments))
            )
        )
        active = active.filter(department__in=departments)
    contacts, follows = [0] * weeks, [0] * weeks
    daily = ties.filter(kind__in=[DayTies.Kind.CONTACT, DayTies.Kind.FOLLOW])
    for day, kind, n in daily.order_by().values_list("day", "kind").annotate(n=Sum("count")):
        (contacts if kind == DayTies.Kind.CONTACT else follows)[(day - first).days // 7] += n
    # One COUNT(DISTINCT) per week over the (day, person) index: cheaper than one
    # query counting every week at once, which sorts the whole period for each.
    starts = [first + timedelta(weeks=i) for i in range(weeks + 1)]
    per_week = [
        active.filter(day__gte=starts[i], day__lt=starts[i + 1]).aggregate(
            n=Count("person", distinct=True)
        )["n"]
        for i in range(weeks)
    ]
    by_department = dict(
        active.order_by().values_list("department").annotate(n=Count("person", distinct=True))
    )
    # Someone who changed department within the period counts in each.
    return contacts, follows, per_week, sum(by_department.values()), by_department


def _live_network(selection: Selection):
    """The same figures as `_rolled_network`, from the rows themselves."""
    from kollega.people.models import Person

    weeks = selection.weeks()
    contacts, follows = [0] * len(weeks), [0] * len(weeks)
    for since in _contacts(selection).values_list("since", flat=True):
        contacts[selection.week_of(since)] += 1
    made = PersonFollow.objects.filter(selection.in_period("since")).filter(
        selection.of_people("follower")
    )
    for since in made.values_list("since", flat=True):
        follows[selection.week_of(since)] += 1
    active = _active_weeks(selection)
    per_week = [0] * len(weeks)
    for _person, week in active:
        if week < len(weeks):
            per_week[week] += 1
    active_people = {person for person, _week in active}
    by_department = defaultdict(int)
    if not selection.scope.is_own:
        departments = Person.objects.filter(pk__in=active_people).order_by()
        for department_id in departments.values_list("department_id", flat=True):
            by_department[department_id] += 1
    return contacts, follows, per_week, len(active_people), by_department


def network(selection: Selection) -> PanelFigures:
    """Contacts, follows and active people per week; adoption by department."""
    weeks = selection.weeks()
    compute = _rolled_network if _rolled(selection) else _live_network
    contacts, follows, per_week, active_count, by_department = compute(selection)
    weekly = Chart(
        "weekly",
        _("Contacts, follows and active people per week"),
        _(
            "New contacts and follows of the selected people, and how many of them wrote "
            "or recommended something, each week."
        ),
        _("Week from"),
        [_("Contacts made"), _("Follows"), _("Active people")],
        [
            Row(_week_label(start), [contacts[i], follows[i], per_week[i]])
            for i, start in enumerate(weeks)
        ],
    )
    figures = [
        Figure(_("Contacts made"), sum(contacts)),
        Figure(_("Follows"), sum(follows)),
        Figure(_("Active people in the period"), active_count),
    ]
    charts = [weekly]
    if not selection.scope.is_own:
        charts.append(_adoption(selection, by_department))
    return PanelFigures(figures=figures, charts=charts)


def _adoption(selection: Selection, by_department: dict) -> Chart:
    """People and active people per department group; `by_department` counts the
    active people of each department id."""
    groups = department_groups(selection)
    active = defaultdict(int)
    for department_id, n in by_department.items():
        active[groups.group(department_id)] += n
    rows = []
    for group, name in groups.names.items():
        size = groups.sizes[group]
        if not selection.shows(size):
            rows.append(Row(name, hidden=True))
        else:
            rows.append(Row(name, [size, active[group], round(100 * active[group] / size)]))
    return Chart(
        "adoption",
        _("Adoption by department"),
        _("People in each department, and how many of them were active in the period."),
        _("Department"),
        [_("People"), _("Active"), _("Active (%)")],
        rows,
    )


def _ties(selection: Selection):
    """(week index, one side's department, other side's department, kind) of each tie
    made in the period by a selected person: contacts (each pair once), answers to a
    colleague's question and comments on a colleague's post.

    Every answer and comment counts, seen by the viewer or not: the matrix names
    departments, never a post, question or community, so it reveals no item."""
    contacts = _contacts(selection).values_list(
        "since", "person__department_id", "contact__department_id"
    )
    answers = (
        Answer.objects.filter(selection.in_period("created_at"))
        .filter(selection.of_people("author"))
        .exclude(question__post__author=F("author"))
        .values_list("created_at", "author__department_id", "question__post__author__department_id")
    )
    comments = (
        Comment.objects.filter(selection.in_period("created_at"))
        .filter(selection.of_people("author"))
        .exclude(post__author=F("author"))
        .values_list("created_at", "author__department_id", "post__author__department_id")
    )
    if selection.community is not None:
        answers = answers.filter(question__post__community=selection.community)
        comments = comments.filter(post__community=selection.community)
    for kind, rows in (("contact", contacts), ("answer", answers), ("comment", comments)):
        for when, one, other in rows.order_by():
            yield selection.week_of(when), one, other, kind, 1


def _group_case(field: str, groups) -> Case:
    """An SQL expression mapping a department id in `field` to its group (None: outside)."""
    members = defaultdict(list)
    for department_id, group in groups.of.items():
        if department_id != NO_DEPARTMENT:
            members[group].append(department_id)
    whens = [When(**{f"{field}__in": ids}, then=Value(g)) for g, ids in members.items()]
    if NO_DEPARTMENT in groups.of:
        whens.append(When(**{f"{field}__isnull": True}, then=Value(groups.of[NO_DEPARTMENT])))
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _rolled_bridging(selection: Selection, groups, cells, crossing, total) -> None:
    """Fill the matrix and the weekly totals from the rollups, grouped by the database:
    the pairs of groups over the period, and each day's ties and crossing ties."""
    first, last = _days(selection)
    ties = DayTies.objects.filter(
        day__gte=first,
        day__lte=last,
        kind__in=[DayTies.Kind.CONTACT, DayTies.Kind.ANSWER, DayTies.Kind.COMMENT],
    ).annotate(a=_group_case("from_department", groups), b=_group_case("to_department", groups))
    ties = ties.filter(a__isnull=False, b__isnull=False).order_by()
    for a, b, kind, n in ties.values_list("a", "b", "kind").annotate(n=Sum("count")):
        cells[(a, b)][kind] += n
        if kind == DayTies.Kind.CONTACT and a != b:
            cells[(b, a)][kind] += n  # a contact ties both ways
    daily = ties.values_list("day").annotate(
        n=Sum("count"), across=Sum("count", filter=~Q(a=F("b")))
    )
    for day, n, across in daily:
        week = (day - first).days // 7
        total[week] += n
        crossing[week] += across or 0


def _live_bridging(selection: Selection, groups, cells, crossing, total) -> None:
    """Fill the matrix and the weekly totals from the rows themselves."""
    for week, one, other, kind, n in _ties(selection):
        a, b = groups.group(one), groups.group(other)
        if a is None or b is None:
            continue  # the other side is outside the chosen department
        cells[(a, b)][kind] += n
        if kind == "contact" and a != b:
            cells[(b, a)][kind] += n  # a contact ties both ways
        total[week] += n
        crossing[week] += n if a != b else 0


def bridging(selection: Selection) -> PanelFigures:
    """The department × department matrix of ties and the weekly share that crosses."""
    groups = department_groups(selection)
    order = groups.order()
    kinds = ("contact", "answer", "comment")
    cells = defaultdict(lambda: dict.fromkeys(kinds, 0))
    weeks = selection.weeks()
    crossing, total = [0] * len(weeks), [0] * len(weeks)
    fill = _rolled_bridging if _rolled(selection) else _live_bridging
    fill(selection, groups, cells, crossing, total)
    shown = {g for g in order if selection.shows(groups.sizes[g])}
    matrix = Chart(
        "matrix",
        _("Ties between departments"),
        _(
            "Contacts, answers and comments made in the period, from the people of the row's "
            "department to those of the column's (contacts both ways)."
        ),
        _("From department"),
        [groups.names[g] for g in order],
        [
            Row(
                groups.names[a],
                [sum(cells[(a, b)].values()) if b in shown else None for b in order],
                hidden=a not in shown,
            )
            for a in order
        ],
        kind="matrix",
    )
    pairs = Chart(
        "pairs",
        _("Ties across departments, by kind"),
        _("Each pair of departments with the contacts, answers and comments between them."),
        _("Departments"),
        [_("Contacts"), _("Answers"), _("Comments")],
        [
            Row(
                f"{groups.names[a]} → {groups.names[b]}",
                [cells[(a, b)]["contact"], cells[(a, b)]["answer"], cells[(a, b)]["comment"]],
            )
            for a in order
            for b in order
            if a != b and a in shown and b in shown and any(cells[(a, b)].values())
        ],
    )
    share = Chart(
        "crossing-share",
        _("Share of ties that cross departments"),
        _("Of the contacts, answers and comments made each week, the share between departments."),
        _("Week from"),
        [_("Across departments (%)"), _("Ties")],
        [
            Row(
                _week_label(start),
                [round(100 * crossing[i] / total[i]) if total[i] else 0, total[i]],
            )
            for i, start in enumerate(weeks)
        ],
    )
    all_ties, all_crossing = sum(total), sum(crossing)
    figures = [
        Figure(_("Ties made"), all_ties),
        Figure(
            _("Across departments"),
            f"{round(100 * all_crossing / all_ties)} %" if all_ties else "—",
        ),
    ]
    charts = [share] if selection.scope.is_own else [matrix, pairs, share]
    return PanelFigures(figures=figures, charts=charts)


register(
    Panel(
        "network",
        gettext_lazy("Network"),
        network,
        gettext_lazy("Who connects and takes part: contacts, follows, active people."),
        order=20,
    )
)
register(
    Panel(
        "bridging",
        gettext_lazy("Silo bridging"),
        bridging,
        gettext_lazy("Is the intranet connecting departments, or mirroring the org chart?"),
        order=30,
    )
)
register_rollup("network", rollups.refresh)
