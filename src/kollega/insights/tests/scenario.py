"""Scenarios for the insights tests: an organisation built through the product's own
services, with times set where the test needs them (as the questions overview's tests do)."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from kollega.insights import services
from kollega.people.tests.factories import make_department, make_person
from kollega.permissions.insights import ANALYTICS_GROUP

START = date(2026, 9, 7)  # a Monday; the period is four weeks from here
END = START + timedelta(days=27)


def at(day: int, hour: int = 9) -> datetime:
    """`day` days after the period's start, at `hour` o'clock (local time)."""
    return timezone.make_aware(datetime.combine(START + timedelta(days=day), time(hour)))


def people(department, count: int, prefix: str) -> list:
    return [
        make_person(f"{prefix} {i}", f"{prefix.lower()}{i}", department=department)
        for i in range(count)
    ]


def analyst():
    person = make_person("Ada Analyst", "ada")
    person.user.groups.add(Group.objects.get_or_create(name=ANALYTICS_GROUP)[0])
    return person


def org():
    """Two departments of six people each, and an analyst with no department."""
    sales, it = make_department("Sales"), make_department("IT")
    return {
        "sales": people(sales, 6, "Sales"),
        "it": people(it, 6, "It"),
        "ada": analyst(),
        "sales_dept": sales,
        "it_dept": it,
    }


def selection(viewer, department=None, community_id=None, start=START, end=END):
    return services.selection_for(viewer, start, end, department, community_id)


def panel(viewer, key, **filters):
    from kollega.insights.panels import panel as registered

    return services.panel_figures(selection(viewer, **filters), registered(key))


def chart(figures, key):
    return next(c for c in figures.charts if c.key == key)


def table(chart) -> dict:
    """{row label: values, or None for a hidden row}."""
    return {row.label: (None if row.hidden else row.values) for row in chart.rows}


def figure(figures, label):
    return next(f.value for f in figures.figures if f.label == label)
