"""Who is most likely to answer: people ranked with the reasons shown.

Until the Expertise work gives one ranking for the whole product, a person's
evidence for a question is, per tag of the question:

- tags on them: each colleague who tagged them counts twice as much as their own tag;
- their past answers on questions with that tag: accepted ones and helpful votes more;

and closeness in the asker's network lifts people who already have evidence
(a contact more than someone sharing contacts). The asker, colleagues who
left, people already asked and people who may not see the question are never
proposed.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext, ngettext

from kollega.network.models import Contact
from kollega.people.models import Person, PersonTag
from kollega.permissions.questions import can_see_question
from kollega.qa.models import Answer, Question, Referral

COLLEAGUE_TAG, OWN_TAG = 2.0, 1.0
ANSWER, ACCEPTED, HELPFUL, HELPFUL_CAP = 1.0, 3.0, 0.5, 10
CONTACT, SHARED_CONTACT, SHARED_CAP = 2.0, 0.5, 3
DEFAULT_LIMIT = 5


@dataclass
class Suggestion:
    """A colleague who may know, how strongly, and why."""

    person: Person
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    _weighted: list[tuple[float, str]] = field(default_factory=list, repr=False)

    def add(self, weight: float, reason: str) -> None:
        self.score += weight
        self._weighted.append((weight, reason))
        self.reasons = [r for _w, r in sorted(self._weighted, key=lambda wr: -wr[0])]


def _tag_evidence(tags: dict[int, str], into: dict) -> None:
    rows = (
        PersonTag.objects.filter(tag_id__in=tags)
        .values("person_id", "tag_id")
        .annotate(
            colleagues=Count("id", filter=~Q(added_by=F("person"))),
            own=Count("id", filter=Q(added_by=F("person"))),
        )
    )
    for row in rows:
        name, n = tags[row["tag_id"]], row["colleagues"]
        if n:
            reason = ngettext(
                "tagged %(tag)s by %(n)d colleague", "tagged %(tag)s by %(n)d colleagues", n
            ) % {"tag": name, "n": n}
            into[row["person_id"]].append((COLLEAGUE_TAG * n, reason))
        if row["own"]:
            into[row["person_id"]].append(
                (OWN_TAG, gettext("says they know %(tag)s") % {"tag": name})
            )


def _answer_evidence(question: Question, tags: dict[int, str], into: dict) -> None:
    for tag_id, name in tags.items():
        rows = (
            Answer.objects.filter(question__post__tags=tag_id)
            .exclude(question=question)
            .values("author_id")
            .annotate(
                answers=Count("id"),
                accepted=Count("id", filter=Q(question__accepted_answer=F("id"))),
                helpful=Sum("helpful_count"),
            )
        )
        for row in rows:
            weight = (
                ANSWER * row["answers"]
                + ACCEPTED * row["accepted"]
                + HELPFUL * min(row["helpful"] or 0, HELPFUL_CAP)
            )
            if row["accepted"]:
                reason = ngettext(
                    "%(n)d accepted answer on #%(tag)s",
                    "%(n)d accepted answers on #%(tag)s",
                    row["accepted"],
                ) % {"n": row["accepted"], "tag": name}
            else:
                reason = ngettext(
                    "%(n)d answer on #%(tag)s", "%(n)d answers on #%(tag)s", row["answers"]
                ) % {"n": row["answers"], "tag": name}
            into[row["author_id"]].append((weight, reason))


def _closeness(asker: Person, candidates: list[int]) -> dict[int, tuple[float, str]]:
    contacts = set(Contact.objects.filter(person=asker).values_list("contact_id", flat=True))
    shared = dict(
        Contact.objects.filter(person_id__in=candidates, contact_id__in=contacts)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    closeness = {}
    for pk in candidates:
        if pk in contacts:
            closeness[pk] = (CONTACT, gettext("in your network"))
        elif shared.get(pk):
            n = shared[pk]
            closeness[pk] = (
                SHARED_CONTACT * min(n, SHARED_CAP),
                ngettext("you share %(n)d contact", "you share %(n)d contacts", n) % {"n": n},
            )
    return closeness


def suggest_answerers(
    asker: Person, question: Question, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """The colleagues most likely to answer `question`, best first, each with reasons."""
    tags = dict(question.post.tags.values_list("pk", "name"))
    if not tags:
        return []
    evidence: dict[int, list[tuple[float, str]]] = defaultdict(list)
    _tag_evidence(tags, evidence)
    _answer_evidence(question, tags, evidence)
    asked = set(Referral.objects.filter(question=question).values_list("person_id", flat=True))
    excluded = asked | {asker.pk, question.post.author_id}
    people = {
        p.pk: p
        for p in Person.objects.active()
        .filter(pk__in=[pk for pk in evidence if pk not in excluded])
        .select_related("user", "department")
    }
    closeness = _closeness(asker, list(people))
    suggestions = []
    for pk, person in people.items():
        suggestion = Suggestion(person)
        for weight, reason in evidence[pk] + ([closeness[pk]] if pk in closeness else []):
            suggestion.add(weight, reason)
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.person.name))
    chosen = []
    for suggestion in suggestions:
        if can_see_question(suggestion.person, question):
            chosen.append(suggestion)
            if len(chosen) == limit:
                break
    return chosen
