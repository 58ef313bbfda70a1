"""Departments as the rows of a panel: the level of the tree below the chosen one.

With no department chosen, the top of the tree; with one, its sub-departments.
A single department at that level is split into its children, and the people
placed in it directly are a row of their own (so an organisation under one
root department is split by the root's children). Each row is a department with everything below it.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from kollega.insights.panels import Selection
from kollega.people.models import Department, Person

NO_DEPARTMENT = 0  # the group of people with no department


@dataclass
class Groups:
    """`of[department_id]` is the group (a department id, or NO_DEPARTMENT) it counts in;
    `names` and `sizes` (active people among the selected) by group, in display order."""

    of: dict
    names: dict
    sizes: dict

    def group(self, department_id):
        return self.of.get(department_id if department_id is not None else NO_DEPARTMENT)

    def order(self) -> list:
        return list(self.names)


def department_groups(selection: Selection, everyone: bool = False) -> Groups:
    """The rows for `selection`, sized by its people (by everyone's, if `everyone`)."""
    tree = list(Department.objects.values_list("pk", "parent_id", "name"))
    children, names = defaultdict(list), {}
    for pk, parent, name in tree:
        children[parent].append(pk)
        names[pk] = name
    chosen = selection.scope.department
    level = [chosen.pk] if chosen else list(children[None])
    itself = None  # a department split into its children, whose own people are a row
    if len(level) == 1 and children[level[0]]:
        itself = level[0]
        level = list(children[itself])
    of, group_names = {}, {}
    for root in sorted(level, key=lambda pk: names[pk]):
        group_names[root] = names[root]
        stack = [root]
        while stack:
            node = stack.pop()
            of[node] = root
            stack.extend(children[node])
    if itself is not None:
        of[itself] = itself
        group_names[itself] = names[itself]
    if chosen is None:
        of[NO_DEPARTMENT] = NO_DEPARTMENT
        group_names[NO_DEPARTMENT] = _("No department")
    people = Person.objects.filter(user__is_active=True)
    if not everyone:
        people = people.filter(selection.of_people("pk"))
    sizes = dict.fromkeys(group_names, 0)
    counts = people.order_by().values_list("department_id").annotate(n=Count("pk"))
    for department_id, n in counts:
        group = of.get(department_id if department_id is not None else NO_DEPARTMENT)
        if group is not None:
            sizes[group] += n
    # Rows nobody selected is in say nothing.
    group_names = {g: name for g, name in group_names.items() if sizes[g]}
    return Groups(of=of, names=group_names, sizes=sizes)
