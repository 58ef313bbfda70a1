"""Who knows about X: colleagues ranked by their evidence, explained, with the way to reach them.

`find_experts` answers the people directory's "who knows about …?" and the API's
`/experts`; `experts_for_question` is what question routing uses. Both rank
with `kollega.expertise.ranking` on evidence read by `kollega.expertise.evidence`
as the viewer may see it, and add closeness in the viewer's network (a contact,
or shared contacts) as one more factor.

Colleagues who left are never proposed; the viewer is never proposed to themself.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kollega.expertise import ranking
from kollega.expertise.evidence import Gatherer, activity, topic_for
from kollega.network.models import Contact
from kollega.people.models import Person
from kollega.people.services import department_subtree

MAX_QUERY = 300
MAX_LIMIT = 50
ACTIVITY_CANDIDATES = 200  # the strongest on the topic get their activity read
CONTACT, SHARED_CONTACT, SHARED_CAP = 1.0, 0.25, 3


@dataclass
class SocialPath:
    """How the viewer reaches a colleague: directly, through shared contacts, or an introduction."""

    kind: str  # "self", "contact", "shared", "introduction" or "none"
    via: list[Person] = field(default_factory=list)
    shared: int = 0

    @property
    def text(self) -> str:
        """The path in a sentence."""
        if self.kind == "contact":
            return _("in your network")
        if self.kind == "shared":
            return ngettext("you share %(n)d contact", "you share %(n)d contacts", self.shared) % {
                "n": self.shared
            }
        if self.kind == "introduction":
            return _("introduction through %(names)s") % {
                "names": " → ".join(p.name for p in self.via)
            }
        return _("not in your extended network")


@dataclass
class Expert:
    """A colleague who knows, how strongly, why, and how the viewer reaches them."""

    person: Person
    score: float
    evidence: list[ranking.Evidence]
    path: SocialPath

    @property
    def reasons(self) -> list[str]:
        """The evidence and the path as sentences, strongest evidence first."""
        return [e.label for e in self.evidence if e.label] + (
            [self.path.text] if self.path.kind in ("contact", "shared") else []
        )


def _closeness(viewer: Person, people: Iterable[int]) -> dict[int, float]:
    """A contact counts 1, each shared contact a quarter (up to three)."""
    people = list(people)
    contacts = set(Contact.objects.filter(person=viewer).values_list("contact_id", flat=True))
    shared = dict(
        Contact.objects.filter(person_id__in=people, contact_id__in=contacts)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    return {
        pk: CONTACT if pk in contacts else SHARED_CONTACT * min(shared.get(pk, 0), SHARED_CAP)
        for pk in people
    }


def social_paths(viewer: Person, people: list[Person]) -> dict[int, SocialPath]:
    """How `viewer` reaches each of `people`: contact, shared contacts, or a two-hop introduction.

    A handful of queries for the whole list (not per person): the viewer's
    contacts, the people's contacts among them, then one two-hop search for
    the rest. Only active colleagues introduce.
    """
    contacts = set(Contact.objects.filter(person=viewer).values_list("contact_id", flat=True))
    paths = {p.pk: SocialPath("self") for p in people if p.pk == viewer.pk}
    rest = [p.pk for p in people if p.pk not in paths and p.pk not in contacts]
    paths |= {p.pk: SocialPath("contact") for p in people if p.pk in contacts}
    shared: dict[int, list[Person]] = defaultdict(list)
    for link in (
        Contact.objects.filter(
            person_id__in=rest, contact_id__in=contacts, contact__user__is_active=True
        )
        .select_related("contact")
        .order_by("contact__name", "contact_id")
    ):
        shared[link.person_id].append(link.contact)
    for pk, via in shared.items():
        paths[pk] = SocialPath("shared", via=via[:1], shared=len(via))
    rest = [pk for pk in rest if pk not in shared]
    if rest:
        # viewer → a contact x → x's contact y → the person (y is one of their contacts).
        hops = (
            Contact.objects.filter(
                person_id__in=contacts,
                contact__contact_of__person_id__in=rest,
                person__user__is_active=True,
                contact__user__is_active=True,
            )
            .exclude(contact=viewer)
            .values_list("contact__contact_of__person_id", "person_id", "contact_id")
            .order_by("person__name", "contact__name")
        )
        introducers: dict[int, tuple[int, int]] = {}
        for target, x, y in hops:
            if y != target:
                introducers.setdefault(target, (x, y))
        by_id = Person.objects.in_bulk({pk for pair in introducers.values() for pk in pair})
        for target, (x, y) in introducers.items():
            paths[target] = SocialPath("introduction", via=[by_id[x], by_id[y]])
    for person in people:
        paths.setdefault(person.pk, SocialPath("none"))
    return paths


def social_path(viewer: Person, person: Person) -> SocialPath:
    """How `viewer` reaches `person` (see `social_paths`)."""
    return social_paths(viewer, [person])[person.pk]


def rank_people(
    viewer: Person,
    topic: ranking.Topic,
    text: str,
    *,
    exclude: Iterable[int] = (),
    people=None,
    accept: Callable[[Person], bool] | None = None,
    limit: int = 10,
) -> list[Expert]:
    """The one ranking: evidence the viewer may see, activity, closeness; best first.

    `people` narrows the candidates (a Person queryset, e.g. a department);
    `accept` drops candidates one by one (e.g. "may see this question") while
    keeping the list full.
    """
    if not topic:
        return []
    now = timezone.now()
    evidence = Gatherer(viewer, topic, text, now).gather()
    excluded = set(exclude) | {viewer.pk}
    evidence = {pk: items for pk, items in evidence.items() if pk not in excluded}
    if people is not None:  # a department or an office: a bounded set of ids
        allowed = set(people.active().values_list("pk", flat=True))
        evidence = {pk: items for pk, items in evidence.items() if pk in allowed}
    # Activity is read for the strongest on the topic only: it can lift them, not find
    # others. Whether they are still here is checked on that short list, not on everyone.
    strongest = ranking.rank(evidence, {}, topic, now, limit=ACTIVITY_CANDIDATES * 2)
    active = set(
        Person.objects.active()
        .filter(pk__in=[r.person for r in strongest])
        .values_list("pk", flat=True)
    )
    ids = [r.person for r in strongest if r.person in active][:ACTIVITY_CANDIDATES]
    ranked = ranking.rank(
        {pk: evidence[pk] for pk in ids},
        activity(viewer, ids, now),
        topic,
        now,
        limit=None,
        closeness=_closeness(viewer, ids),
    )
    persons = Person.objects.with_profile_parts().in_bulk([r.person for r in ranked[: limit * 3]])
    chosen = []
    for r in ranked:
        person = persons.get(r.person)
        if person is None:
            # Beyond the first batch: fetch on demand (only when many were refused).
            person = Person.objects.with_profile_parts().filter(pk=r.person).first()
        if person is None or (accept is not None and not accept(person)):
            continue
        chosen.append((r, person))
        if len(chosen) == limit:
            break
    paths = social_paths(viewer, [person for _r, person in chosen])
    return [
        Expert(person, r.score, [e.explained() for e in r.evidence], paths[person.pk])
        for r, person in chosen
    ]


def find_experts(
    viewer: Person,
    query: str,
    *,
    department=None,
    office=None,
    limit: int = 10,
) -> list[Expert]:
    """Colleagues who know about `query`, as `viewer` may see their evidence.

    Filters by department (with its sub-departments) and office. Raises
    ValidationError for an empty or over-long query or a bad limit.
    """
    query = " ".join((query or "").split())
    if not query:
        raise ValidationError(_("Say what you are looking for, e.g. “wine storage”."))
    if len(query) > MAX_QUERY:
        raise ValidationError(
            _("Ask in at most %(n)d characters.") % {"n": MAX_QUERY}, code="too_long"
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(_("Ask for between 1 and %(n)d people.") % {"n": MAX_LIMIT})
    people = Person.objects.all()
    if department is not None:
        people = people.filter(department_id__in=department_subtree(department))
    if office is not None:
        people = people.filter(office=office)
    topic = topic_for(query)
    return rank_people(viewer, topic, query, people=people, limit=limit)


def experts_for_question(
    asker: Person,
    question,
    *,
    exclude: Iterable[int] = (),
    accept: Callable[[Person], bool] | None = None,
    limit: int = 5,
) -> list[Expert]:
    """Who will most likely answer `question` (its title and tags), as the asker sees evidence."""
    tags = set(question.post.tags.values_list("name", flat=True))
    text = question.title
    topic = topic_for(text, tags)
    return rank_people(asker, topic, text, exclude=exclude, accept=accept, limit=limit)
