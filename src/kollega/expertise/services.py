"""Who knows about X: colleagues ranked by their evidence, explained, with the way to reach them.

`find_experts` answers the people directory's "who knows about …?" and the API's
`/experts`; `experts_for_question` is what question routing uses. Both rank
with `kollega.expertise.ranking` on evidence read by `kollega.expertise.evidence`
as the viewer may see it, and add closeness in the viewer's network (a contact,
or shared contacts) as one more factor. Routing also weighs presence (how
recently each colleague was seen, `kollega.people.presence`): a question
should reach someone who is around to answer it, while "who knows" is
about knowledge, which a colleague on leave still has.

Colleagues who left are never proposed; the viewer is never proposed to themself;
nor is anyone who said no to "who knows" in their privacy settings
(`permissions.privacy`). Filtering by office finds only people who show their
location to the viewer, and the way to reach someone who keeps their contacts
from the viewer is not named.
"""

import functools
import math
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kollega.expertise import profiles, ranking
from kollega.expertise.evidence import Gatherer, activity, listed, topic_for
from kollega.limits import EXPERTS_MAX_PEOPLE, EXPERTS_QUERY_MAX_CHARS
from kollega.network.models import Contact
from kollega.people import presence
from kollega.people.models import Person
from kollega.people.services import department_subtree
from kollega.permissions.privacy import PrivacyLens, hidden_from_who_knows, location_visible_filter

ACTIVITY_CANDIDATES = 200  # the strongest on the topic get their activity read
SHORTLIST = 200  # people whose profiles say they may rank (see profiles)
# Read live first, then per further batch: on 100,000 people the best ten are
# usually settled after 15 to 35 (see docs/performance.md).
FIRST_BATCH, NEXT_BATCH = 32, 16
CONTACT, SHARED_CONTACT, SHARED_CAP = 1.0, 0.25, 3
SHARED_NAMED = 3  # shared contacts named on a result; the rest are counted


@dataclass
class SocialPath:
    """How the viewer reaches a colleague: directly, through shared contacts, or an introduction."""

    kind: str  # "self", "contact", "shared", "introduction", "private" or "none"
    via: list[Person] = field(default_factory=list)
    shared: int = 0

    @property
    def unnamed(self) -> int:
        """Shared contacts counted but not named in `via`."""
        return self.shared - len(self.via) if self.kind == "shared" else 0

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
        if self.kind == "private":
            return _("keeps their contacts private")
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
        Contact.objects.filter(person_id__in=listed(people), contact_id__in=listed(contacts))
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
            person_id__in=rest, contact_id__in=listed(contacts), contact__user__is_active=True
        )
        .select_related("contact")
        .order_by("contact__name", "contact_id")
    ):
        shared[link.person_id].append(link.contact)
    for pk, via in shared.items():
        paths[pk] = SocialPath("shared", via=via[:SHARED_NAMED], shared=len(via))
    rest = [pk for pk in rest if pk not in shared]
    if rest:
        # viewer → a contact x → x's contact y → the person (y is one of their contacts).
        # Their contacts first, then the hops to those: in one three-way join SQLite
        # read the name and account of every contact of every contact (over a
        # thousand) before checking whether they knew anyone on the list.
        targets_of: dict[int, list[int]] = defaultdict(list)
        for target, y in Contact.objects.filter(person_id__in=rest).values_list(
            "person_id", "contact_id"
        ):
            targets_of[y].append(target)
        hops = (
            Contact.objects.filter(
                person_id__in=listed(contacts),
                contact_id__in=listed(targets_of),
                person__user__is_active=True,
                contact__user__is_active=True,
            )
            .exclude(contact=viewer)
            .values_list("person_id", "contact_id")
            .order_by("person__name", "contact__name")
        )
        introducers: dict[int, tuple[int, int]] = {}
        for x, y in hops:
            for target in targets_of[y]:
                if y != target:
                    introducers.setdefault(target, (x, y))
        by_id = Person.objects.in_bulk({pk for pair in introducers.values() for pk in pair})
        for target, (x, y) in introducers.items():
            paths[target] = SocialPath("introduction", via=[by_id[x], by_id[y]])
    lens = PrivacyLens(viewer)
    for person in people:
        paths.setdefault(person.pk, SocialPath("none"))
        if paths[person.pk].kind in ("shared", "introduction") and not lens.contacts(person):
            # Shared contacts and introducers name who their contacts are.
            paths[person.pk] = SocialPath("private")
    return paths


def _days_since_seen(people: list[int], now) -> dict[int, float]:
    """Days since each of `people` was last seen (a request or a sign-in; never seen: left out).

    The same for every viewer, so a profile's bound can include it.
    """
    return {pk: ranking.age_days(at, now) for pk, at in presence.last_seen(people).items()}


def _rank_live(
    viewer, topic, text, now, excluded: set[int], people, weigh_presence: bool
) -> list[ranking.Ranked]:
    """Everyone's evidence on the topic, read live: before any profile has been built."""
    evidence = Gatherer(viewer, topic, text, now).gather()
    evidence = {pk: items for pk, items in evidence.items() if pk not in excluded}
    if people is not None:  # a department or an office, checked on those with evidence
        allowed = set(people.active().filter(pk__in=list(evidence)).values_list("pk", flat=True))
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
    return ranking.rank(
        {pk: evidence[pk] for pk in ids},
        activity(viewer, ids, now),
        topic,
        now,
        limit=None,
        closeness=_closeness(viewer, ids),
        last_seen=_days_since_seen(ids, now) if weigh_presence else None,
    )


def _rank_key(r: ranking.Ranked):
    return (-r.score, str(r.person))  # as ranking.rank orders


class _Bounded:
    """The exact ranking of the short list, reading as few people as the bounds allow.

    A candidate's profile bounds their score for any viewer: the viewer sees
    at most all of their evidence and activity (closeness and presence are
    cheap, so they are read for the whole short list). Candidates are read
    live (evidence and activity as the viewer may see them) in batches,
    highest bound first, until the people already ranked beat every bound
    left: nobody unread could enter.
    """

    def __init__(
        self, viewer, topic, text, now, candidates, excluded: set[int], people, weigh_presence
    ):
        self.viewer, self.topic, self.text, self.now = viewer, topic, text, now
        self.people = people
        candidates = [c for c in candidates if c.person not in excluded]
        ids = [c.person for c in candidates]
        self.closeness = _closeness(viewer, ids)
        self.last_seen = _days_since_seen(ids, now) if weigh_presence else None
        bound = {
            c.person: math.inf
            if c.stale
            else ranking.score(
                c.activity, [c.topical], self.closeness[c.person], self._presence(c.person)
            )
            for c in candidates
        }
        self.pending = sorted(bound, key=lambda pk: (-bound[pk], pk))
        self.sources = {c.person: c.sources for c in candidates}
        self.bound = bound
        self.ranked: list[ranking.Ranked] = []
        self.batch = FIRST_BATCH

    def _presence(self, person: int) -> float:
        return 1.0 if self.last_seen is None else ranking.presence(self.last_seen.get(person))

    def _read(self, ids: list[int]) -> None:
        still = Person.objects.active() if self.people is None else self.people.active()
        ids = list(still.filter(pk__in=ids).values_list("pk", flat=True))
        # Only the sources these people have anything in (see profiles).
        sources = functools.reduce(operator.or_, (self.sources[pk] for pk in ids), 0)
        gatherer = Gatherer(self.viewer, self.topic, self.text, self.now, people=ids)
        evidence = gatherer.gather(sources)
        found = [pk for pk in ids if pk in evidence]
        self.ranked += ranking.rank(
            {pk: evidence[pk] for pk in found},
            activity(self.viewer, found, self.now),
            self.topic,
            self.now,
            limit=None,
            closeness=self.closeness,
            last_seen=self.last_seen,
        )
        self.ranked.sort(key=_rank_key)

    def top(self, k: int) -> tuple[list[ranking.Ranked], bool]:
        """The best `k` of the short list, best first, and whether more may follow."""
        while self.pending and not (
            len(self.ranked) >= k and self.ranked[k - 1].score >= self.bound[self.pending[0]]
        ):
            ids, self.pending = self.pending[: self.batch], self.pending[self.batch :]
            self._read(ids)
            self.batch = NEXT_BATCH
        return self.ranked[:k], len(self.ranked) > k or bool(self.pending)


def rank_people(
    viewer: Person,
    topic: ranking.Topic,
    text: str,
    *,
    exclude: Iterable[int] = (),
    people=None,
    accept: Callable[[Person], bool] | None = None,
    limit: int = 10,
    weigh_presence: bool = False,
) -> list[Expert]:
    """The one ranking: evidence the viewer may see, activity, closeness; best first.

    The expertise profiles pick the short list (`profiles.shortlist`); only
    evidence the viewer may see is read for it and counts. `people` narrows
    the candidates (a Person queryset, e.g. a department); `accept` drops
    candidates one by one (e.g. "may see this question") while keeping the
    list full. `weigh_presence` multiplies in how recently each was seen
    (`ranking.presence`): for routing, where the question needs someone here.
    """
    if not topic:
        return []
    now = timezone.now()
    excluded = set(exclude) | {viewer.pk} | hidden_from_who_knows(viewer)
    candidates = profiles.shortlist(topic, SHORTLIST, now, people=people)
    chosen: list[tuple[ranking.Ranked, Person]] = []
    if candidates is None:
        ranked = _rank_live(viewer, topic, text, now, excluded, people, weigh_presence)
        more = False
    else:
        bounded = _Bounded(viewer, topic, text, now, candidates, excluded, people, weigh_presence)
        # _Bounded keeps what it needs as numbers; a few hundred objects held to the end
        # would live through collections into the oldest generation (see docs/performance.md).
        candidates = None
        ranked, more = bounded.top(limit)
    seen = 0
    while True:
        batch = ranked[seen:]
        persons = Person.objects.with_profile_parts().in_bulk([r.person for r in batch])
        for r in batch:
            person = persons.get(r.person)
            if person is None or (accept is not None and not accept(person)):
                continue
            chosen.append((r, person))
            if len(chosen) == limit:
                break
        seen = len(ranked)
        if len(chosen) == limit or not more:
            break
        # Some were refused: rank further down the short list.
        ranked, more = bounded.top(seen + 2 * limit)
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

    Filters by department (with its sub-departments) and office (people who show
    their location to `viewer`). Raises
    ValidationError for an empty or over-long query or a bad limit.
    """
    query = " ".join((query or "").split())
    if not query:
        raise ValidationError(_("Say what you are looking for, e.g. “wine storage”."))
    if len(query) > EXPERTS_QUERY_MAX_CHARS:
        raise ValidationError(
            _("Ask in at most %(n)d characters.") % {"n": EXPERTS_QUERY_MAX_CHARS}, code="too_long"
        )
    if not 1 <= limit <= EXPERTS_MAX_PEOPLE:
        raise ValidationError(_("Ask for between 1 and %(n)d people.") % {"n": EXPERTS_MAX_PEOPLE})
    people = None  # everyone, unless narrowed
    if department is not None:
        people = Person.objects.filter(department_id__in=department_subtree(department))
    if office is not None:
        people = (
            (people if people is not None else Person.objects.all())
            .filter(office=office)
            .filter(location_visible_filter(viewer))
        )
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
    """Who will most likely answer `question` (its title and tags), as the asker sees evidence.

    Presence counts: of two colleagues who know as much, the one seen today
    comes before the one last seen a month ago.
    """
    tags = set(question.post.tags.values_list("name", flat=True))
    text = question.title
    topic = topic_for(text, tags)
    return rank_people(
        asker, topic, text, exclude=exclude, accept=accept, limit=limit, weigh_presence=True
    )
