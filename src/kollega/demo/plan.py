"""Decisions about the demo organisation, made in memory before anything is written.

People are numbered 0…n-1 as in the source network. Every choice draws from a
random generator named after its step, so the same seed gives the same
organisation, and changing one step does not reshuffle the others.
"""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from kollega import markup
from kollega.demo import catalogue
from kollega.demo.sources import Conversations, OrganisationShape
from kollega.tags.services import normalise_tag

DEMO_PERSONA_RANK = 4
FOLDED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d"})


def step_rng(seed: int, step: str) -> random.Random:
    """A generator of its own for one step, reproducible from the seed."""
    return random.Random(f"{seed}:{step}")


def neighbours(shape: OrganisationShape) -> list[set[int]]:
    """Each person's contacts."""
    contacts: list[set[int]] = [set() for _ in shape.department_of]
    for a, b in shape.pairs:
        contacts[a].add(b)
        contacts[b].add(a)
    return contacts


# --- departments and the reporting line -----------------------------------------------


def department_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` (division, department) names: a few divisions, departments dealt round them."""
    divisions = list(catalogue.DIVISIONS)[: min(len(catalogue.DIVISIONS), max(1, count // 3))]
    queues = {d: rng.sample(catalogue.DIVISIONS[d], len(catalogue.DIVISIONS[d])) for d in divisions}
    names: list[tuple[str, str]] = []
    while len(names) < count and any(queues.values()):
        for division in divisions:
            if queues[division] and len(names) < count:
                names.append((division, queues[division].pop()))
    if len(names) < count:
        raise ValueError(f"Only {len(names)} department names for {count} departments.")
    rng.shuffle(names)
    return names


@dataclass
class ReportingLine:
    manager: list[int | None]
    head_of: dict[int, int]  # department label → head
    division_head: dict[str, int]
    ceo: int


def reporting_line(
    department_of: list[int], division_of: dict[int, str], degree: list[int]
) -> ReportingLine:
    """Heads are the best-connected of their unit; they report up, everyone else to them."""

    def best(people):
        return max(people, key=lambda n: (degree[n], -n))

    members: dict[int, list[int]] = {}
    for person, label in enumerate(department_of):
        members.setdefault(label, []).append(person)
    head_of = {label: best(people) for label, people in sorted(members.items())}
    division_head = {
        division: best([h for label, h in head_of.items() if division_of[label] == division])
        for division in sorted(set(division_of.values()))
    }
    ceo = best(list(division_head.values()))
    manager: list[int | None] = []
    for person, label in enumerate(department_of):
        if person == ceo:
            manager.append(None)
        elif person in division_head.values():
            manager.append(ceo)
        elif person == head_of[label]:
            manager.append(division_head[division_of[label]])
        else:
            manager.append(head_of[label])
    return ReportingLine(manager, head_of, division_head, ceo)


# --- who people are ---------------------------------------------------------------------


@dataclass
class Identity:
    name: str
    first_name: str
    last_name: str
    username: str
    country: str
    office: int  # index into catalogue.OFFICES
    languages: str
    phone: str


def identities(department_of: list[int], rng: random.Random) -> list[Identity]:
    """A name, user name, office, languages and phone for each person."""
    offices = catalogue.OFFICES
    home = {
        label: rng.choices(range(len(offices)), weights=(3, 2, 2, 1, 2, 1))[0]
        for label in sorted(set(department_of))
    }
    taken: set[str] = {catalogue.ADMIN_USERNAME}
    people = []
    for label in department_of:
        office = home[label] if rng.random() < 0.75 else rng.randrange(len(offices))
        office_country = offices[office][2]
        country = (
            office_country if rng.random() < 0.8 else rng.choice(sorted(catalogue.FIRST_NAMES))
        )
        first, last = _fresh_name(country, taken, rng)
        people.append(
            Identity(
                name=f"{first} {last}",
                first_name=first,
                last_name=last,
                username=unique_username(first, last, taken),
                country=country,
                office=office,
                languages=_languages(country, office_country, rng),
                phone=f"{offices[office][3]}{rng.randrange(1000):03d}",
            )
        )
    return people


def _fresh_name(country: str, taken: set[str], rng: random.Random) -> tuple[str, str]:
    """A first and last name; a few tries for one nobody has, as namesakes confuse."""
    for _attempt in range(4):
        first = rng.choice(catalogue.FIRST_NAMES[country])
        last = rng.choice(catalogue.LAST_NAMES[country])
        if f"{_ascii(first)}.{_ascii(last)}" not in taken:
            break
    return first, last


def unique_username(first: str, last: str, taken: set[str]) -> str:
    """`anna.lindqvist`, or `anna.lindqvist2` and up when that is taken."""
    base = f"{_ascii(first)}.{_ascii(last)}"
    username, number = base, 1
    while username in taken:
        number += 1
        username = f"{base}{number}"
    taken.add(username)
    return username


def _ascii(word: str) -> str:
    """A name as user names want it: `Sjöberg` becomes `sjoberg`."""
    decomposed = unicodedata.normalize("NFKD", word.translate(FOLDED))
    return decomposed.encode("ascii", "ignore").decode().lower().replace(" ", "-")


def _languages(country: str, office_country: str, rng: random.Random) -> str:
    """Mother tongue, the office's language, English, and sometimes one more."""
    spoken = [catalogue.MOTHER_TONGUE[country]]
    for language in (catalogue.MOTHER_TONGUE[office_country], "English"):
        if language not in spoken:
            spoken.append(language)
    if rng.random() < 0.25:
        spoken.append(rng.choice(catalogue.EXTRA_LANGUAGES))
    return ", ".join(spoken)


# --- who wrote what, and what people know about -----------------------------------------


def authors(talk: Conversations, degree: list[int], rng: random.Random) -> dict[str, int]:
    """Map each source author to a person: the most active to the best connected.

    Busy posters being well-connected people is plausible, and it means their
    network-only posts can still have answers from their own contacts. Person 0,
    who the demo signs in as, becomes a frequent asker, so every stream filter
    has something to show them.
    """
    activity: Counter[str] = Counter()
    for thread in talk.threads:
        for message in (thread.question, *thread.answers):
            activity[message.author_key] += 1
    asked = Counter(thread.question.author_key for thread in talk.threads)
    askers = sorted(asked, key=lambda k: -asked[k])  # stable: first seen wins ties
    persona = askers[min(DEMO_PERSONA_RANK, len(askers) - 1)]
    order = list(range(len(degree)))
    rng.shuffle(order)  # ties in degree are broken at random, but reproducibly
    people = [n for n in sorted(order, key=lambda n: -degree[n]) if n != 0] or [0]
    keys = [k for k in sorted(activity, key=lambda k: -activity[k]) if k != persona]
    # Those who only commented come last, so comments leave the others' people as they were.
    keys += sorted({m.author_key for t in talk.threads for m in t.comments} - activity.keys())
    mapping = {key: people[i % len(people)] for i, key in enumerate(keys)}
    mapping[persona] = 0
    return mapping


def valid_tags(names: list[str]) -> list[str]:
    """Normalised tag names that survive as #hashtags in text; the others are skipped."""
    kept = []
    for raw in names:
        try:
            name = normalise_tag(raw)
        except ValidationError:
            continue
        if markup.find_mentions_and_tags(f"#{name}")[1] == [name] and name not in kept:
            kept.append(name)
    return kept


def interests(
    talk: Conversations, author_of: dict[str, int], count: int, rng: random.Random
) -> list[list[str]]:
    """A few topics per person: what they asked and answered about, else popular tags."""
    seen: list[Counter[str]] = [Counter() for _ in range(count)]
    for thread in talk.threads:
        tags = valid_tags(thread.question.tags)
        for message in (thread.question, *thread.answers):
            seen[author_of[message.author_key]].update(tags)
    popular = valid_tags(sorted(talk.tag_weights))
    weights = [talk.tag_weights.get(t, 1) + 1 for t in popular]
    topics = []
    for counter in seen:
        mine = [t for t, _n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))][:4]
        while len(mine) < min(3, len(popular)):
            pick = rng.choices(popular, weights=weights)[0]
            if pick not in mine:
                mine.append(pick)
        topics.append(mine)
    return topics
