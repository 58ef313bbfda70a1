"""Writing the organisation: departments, offices, people, managers and contacts.

Rows go in with bulk_create; the result is what the people and network
services would produce one by one (contacts stored in both directions, one
password hash per person).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from kollega.demo import catalogue, plan
from kollega.demo.state import DemoState
from kollega.network.models import Contact
from kollega.people.directory import index_people
from kollega.people.models import Department, Office, Person

BATCH = 2000


def create_departments(state: DemoState) -> None:
    """Divisions at the top, the source's departments under them."""
    labels = sorted(set(state.shape.department_of))
    names = plan.department_names(len(labels), state.rng("departments"))
    divisions = {
        name: Department.objects.create(name=name)
        for name in sorted({division for division, _department in names})
    }
    departments = Department.objects.bulk_create(
        [Department(name=name, parent=divisions[division]) for division, name in names]
    )
    state.department_ids = {label: d.pk for label, d in zip(labels, departments, strict=True)}
    state.department_names = {label: d.name for label, d in zip(labels, departments, strict=True)}
    state.division_of = {
        label: division for label, (division, _name) in zip(labels, names, strict=True)
    }


def create_offices(state: DemoState) -> None:
    """The offices people work from, in three countries."""
    offices = Office.objects.bulk_create(
        [
            Office(name=name, city=city, country=country, time_zone=catalogue.TIME_ZONES[country])
            for name, city, country, _p in catalogue.OFFICES
        ]
    )
    state.office_ids = [o.pk for o in offices]


def create_people(state: DemoState) -> None:
    """Sign-in accounts and profiles; the password is hashed once and shared."""
    state.line = plan.reporting_line(
        state.shape.department_of, state.division_of, [len(c) for c in state.contacts]
    )
    people = plan.identities(state.shape.department_of, state.rng("identities"))
    state.handles = [p.username for p in people]
    user_ids = _create_users(people)
    titles, visibility = _titles(state), state.rng("board-visibility")
    seen, now = state.rng("last-seen"), timezone.now()
    Person.objects.bulk_create(
        [
            Person(
                user_id=user_ids[who.username],
                name=who.name,
                title=titles[n],
                department_id=state.department_ids[state.shape.department_of[n]],
                office_id=state.office_ids[who.office],
                languages=who.languages,
                about=_about(state, n, who, titles[n]),
                phone=who.phone,
                board_visibility=_board_visibility(n, visibility),
                last_seen_at=now - time_away(seen),
            )
            for n, who in enumerate(people)
        ],
        batch_size=BATCH,
    )
    by_user = dict(Person.objects.values_list("user_id", "pk"))
    state.person_ids = [by_user[user_ids[who.username]] for who in people]
    index_people(state.person_ids)  # bulk_create sends no signals: the directory's words


def time_away(rng) -> timedelta:
    """How long ago someone was last seen: most within days, some on leave or seldom in."""
    roll = rng.random()
    if roll < 0.8:
        return timedelta(hours=rng.uniform(0, 72))
    if roll < 0.93:
        return timedelta(days=rng.uniform(3, 30))
    return timedelta(days=rng.uniform(30, 200))


def _create_users(people: list[plan.Identity]) -> dict[str, int]:
    """Sign-in accounts sharing one password hash; returns ids by user name."""
    User = get_user_model()
    password = make_password(catalogue.DEMO_PASSWORD)
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                username=who.username,
                email=f"{who.username}@{catalogue.EMAIL_DOMAIN}",
                first_name=who.first_name,
                last_name=who.last_name,
                password=password,
                date_joined=now,
            )
            for who in people
        ],
        batch_size=BATCH,
    )
    return dict(User.objects.values_list("username", "pk"))


def _titles(state: DemoState) -> list[str]:
    """Job titles: the reporting line first, else a role fitting the department."""
    line, rng = state.line, state.rng("titles")
    heads = {head: label for label, head in line.head_of.items()}
    directors = {head: division for division, head in line.division_head.items()}
    titles = []
    for n, label in enumerate(state.shape.department_of):
        if n == line.ceo:
            titles.append("Chief Executive Officer")
        elif n in directors:
            titles.append(f"Director, {directors[n]}")
        elif n in heads:
            titles.append(f"Head of {state.department_names[heads[n]]}")
        elif state.division_of[label] in catalogue.TITLES:
            titles.append(rng.choice(catalogue.TITLES[state.division_of[label]]))
        else:
            # The department is shown beside the title; "Analyst, Logistics · Logistics"
            # and "Analyst, Logistics in Logistics" said it twice.
            titles.append(rng.choice(catalogue.ROLES))
    return titles


def _about(state: DemoState, n: int, who: plan.Identity, title: str) -> str:
    """A short self-description mentioning the person's topics."""
    rng = state.rng(f"about:{n}")
    topics = state.interests[n] + ["our projects", "where things are"]
    return rng.choice(catalogue.ABOUT_TEMPLATES).format(
        department=state.department_names[state.shape.department_of[n]],
        city=catalogue.OFFICES[who.office][1],
        title=title,
        languages=who.languages,
        tag1=topics[0],
        tag2=topics[1],
    )


def _board_visibility(n: int, rng) -> str:
    """Who may see the person's board."""
    # A few people keep their board to contacts; the first stays open for the demo.
    if n > 0 and rng.random() < 0.03:
        return Person.BoardVisibility.CONTACTS
    return Person.BoardVisibility.ORGANISATION


def set_managers(state: DemoState) -> None:
    """Everyone reports to their department head; heads up to a director, directors to the CEO."""
    people = [
        Person(pk=state.person_ids[n], manager_id=state.person_ids[m])
        for n, m in enumerate(state.line.manager)
        if m is not None
    ]
    Person.objects.bulk_update(people, ["manager"], batch_size=500)


def create_admin(state: DemoState) -> None:
    """The superuser `admin`, with a profile, contacts of the directors."""
    User = get_user_model()
    user = User.objects.create(
        username=catalogue.ADMIN_USERNAME,
        email=f"{catalogue.ADMIN_USERNAME}@{catalogue.EMAIL_DOMAIN}",
        password=make_password(catalogue.ADMIN_PASSWORD),
        is_staff=True,
        is_superuser=True,
    )
    admin = Person.objects.create(
        user=user,
        name="Administrator",
        title="Intranet administrator",
        office_id=state.office_ids[0],
        languages="English, Swedish",
        about="I look after Kollega. Tell me what is missing or broken.",
    )
    state.admin_id = admin.pk
    directors = sorted(state.person_ids[n] for n in state.line.division_head.values())
    _write_contacts([(admin.pk, d) for d in directors])


def create_contacts(state: DemoState) -> None:
    """Every pair in the source network becomes a contact, stored both ways."""
    ids = state.person_ids
    _write_contacts([(ids[a], ids[b]) for a, b in sorted(state.shape.pairs)])


def _write_contacts(pairs: list[tuple[int, int]]) -> None:
    """Contact rows in both directions, as `connect` writes them."""
    rows = []
    for a, b in pairs:
        rows += [Contact(person_id=a, contact_id=b), Contact(person_id=b, contact_id=a)]
    Contact.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
