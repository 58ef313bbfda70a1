"""Who may see which insights.

- everyone sees their own figures (what they asked, the contacts they made, …);
- a community's owners see the figures of the communities they own;
- the administrator (staff) and people in the "analytics" group see everything:
  any department (with the departments below it), any community they may read,
  or the whole organisation. The group is granted in the admin (Authentication
  › Groups, or a person's account › Groups); migration 0001 of `insights`
  creates it.

A figure about fewer than `MIN_PEOPLE` people is never shown, so no one can
single out a colleague from an aggregate (one's own figures excepted: they
are about oneself). Where a figure names items (a community, a tag), it counts
only content the viewer may see: panels start from the permission filters
(`Question.objects.visible_to`, `readable_communities_filter`).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kollega.communities.models import Community, Membership
from kollega.people.models import Department, Person
from kollega.people.services import department_subtree
from kollega.permissions import NotFound
from kollega.permissions.communities import readable_communities_filter

ANALYTICS_GROUP = "analytics"
MIN_PEOPLE = 5  # fewer people than this in a figure, and it is not shown


class Scope:
    OWN = "own"  # the viewer's own figures
    COMMUNITY = "community"  # the members and content of one community
    ORGANISATION = "organisation"  # everyone, or a department's subtree


@dataclass(frozen=True)
class InsightScope:
    """Whose figures a viewer is shown: `people` is a subquery of person ids (for one's
    own figures, a list of the one id), or None for everyone; `community` narrows
    content to one community."""

    kind: str
    people: QuerySet | list | None
    department: Department | None = None
    community: Community | None = None

    @property
    def is_own(self) -> bool:
        return self.kind == Scope.OWN


def _active(person) -> bool:
    return person is not None and person.user.is_active


def sees_everything(person: Person) -> bool:
    """The administrator and people with the analytics role see every figure."""
    if not _active(person):
        return False
    user = person.user
    return user.is_staff or user.groups.filter(name=ANALYTICS_GROUP).exists()


def owned_communities(person: Person) -> QuerySet[Community]:
    """The communities whose figures `person` may see as an owner (everyone's, for analysts)."""
    if not _active(person):
        return Community.objects.none()
    readable = Community.objects.filter(readable_communities_filter(person))
    if sees_everything(person):
        return readable
    owned = Membership.objects.filter(person=person, role=Membership.Role.OWNER)
    return readable.filter(pk__in=owned.values("community_id"))


def may_filter_departments(person: Person) -> bool:
    return sees_everything(person)


def insight_scope(
    person: Person, department: Department | None = None, community_id: int | None = None
) -> InsightScope:
    """The figures `person` may see for the filters asked for.

    A community they may not see the figures of is `NotFound` (never say it exists);
    a department filter from someone without the analytics role is `PermissionDenied`.
    """
    if not _active(person):
        raise PermissionDenied
    community = None
    if community_id is not None:
        community = owned_communities(person).filter(pk=community_id).first()
        if community is None:
            raise NotFound
    if department is not None and not sees_everything(person):
        raise PermissionDenied(_("Only analysts see the figures of a department."))
    people = None
    if department is not None:
        people = Person.objects.filter(
            department_id__in=department_subtree(department), user__is_active=True
        ).values("pk")
    if community is not None:
        members = Membership.objects.filter(community=community).values("person_id")
        people = (
            members
            if people is None
            else Person.objects.filter(pk__in=people).filter(pk__in=members).values("pk")
        )
        return InsightScope(Scope.COMMUNITY, people, department, community)
    if sees_everything(person):
        return InsightScope(Scope.ORGANISATION, people, department)
    return InsightScope(Scope.OWN, [person.pk])


def shows(scope: InsightScope, people: int) -> bool:
    """Whether a figure about `people` people may be shown under `scope`."""
    return scope.is_own or people >= MIN_PEOPLE
