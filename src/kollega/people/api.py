"""API: the directory, profiles, one's own profile and tags on people."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, StrictBool

from kollega.api.lookups import person_named
from kollega.api.schemas import (
    DepartmentOut,
    OfficeOut,
    OffsetPage,
    OffsetParams,
    PersonFields,
    PersonRef,
    PersonSummary,
    choice_of,
    offset_page,
    responses,
)
from kollega.network import services as network
from kollega.people import services
from kollega.people.models import Department, Office, Person
from kollega.permissions.boards import can_see_board
from kollega.permissions.privacy import lens_for
from kollega.tags.models import Tag
from kollega.tags.services import normalise_tag

router = Router()

SHARED_CONTACTS_SHOWN = 20


# --- schemas --------------------------------------------------------------------------------


class DirectoryParams(OffsetParams):
    q: str = Field(
        "",
        description="Every word must start a word of the name, user name or title "
        "(case and accents aside): `an` finds Anna and Jan Andersson.",
    )
    department: int | None = Field(None, description="A department id; includes those below.")
    office: int | None = Field(
        None,
        description="An office id. Finds only the people who show their location to the caller.",
    )
    tag: str = Field("", description="A tag people carry, e.g. `wine`.")


class TagOnPerson(Schema):
    name: str
    colleagues: int = Field(description="How many colleagues gave this tag.")
    self: bool = Field(description="True if the person tagged themself with it.")


class ProfileOut(PersonFields):
    phone: str | None = Field(
        description="Null when they keep their phone number from the caller (privacy settings)."
    )
    languages: list[str]
    about: str
    manager: PersonRef | None
    reporting_chain: list[PersonRef] = Field(description="Managers from the nearest upwards.")
    board_visibility: choice_of(Person.BoardVisibility)
    joined_at: datetime
    tags: list[TagOnPerson]
    contact_count: int | None = Field(
        description="Null when they keep their contacts from the caller (privacy settings)."
    )
    shared_contact_count: int | None = Field(
        description="Contacts the caller and this person share; null when they keep "
        "their contacts from the caller."
    )
    shared_contacts: list[PersonRef] | None = Field(
        description=f"The first {SHARED_CONTACTS_SHOWN} shared contacts, by name; null when "
        "they keep their contacts from the caller."
    )
    path: list[PersonRef] | None = Field(
        description="The shortest chain of contacts from the caller to this person "
        "(at most two introductions), or null if they are further apart or keep their "
        "contacts from the caller."
    )
    is_me: bool
    is_contact: bool
    following: bool = Field(description="True if the caller follows this person.")
    can_see_board: bool


class MeOut(ProfileOut):
    language: str = Field(description="Interface language; empty for the site's default.")
    time_zone: str = Field(
        description="An IANA time zone such as `Europe/Oslo`; empty for the office's."
    )


class ProfileIn(Schema):
    """Only the fields given are changed; `department`, `office` and `manager` take null."""

    model_config = ConfigDict(extra="forbid")

    name: str = None
    title: str = None
    department: int | None = Field(None, description="A department id.")
    office: int | None = Field(None, description="An office id.")
    manager: str | None = Field(None, description="The manager's user name.")
    languages: list[str] = None
    about: str = None
    phone: str = None
    board_visibility: choice_of(Person.BoardVisibility) = None
    language: str = Field(None, description="`en`, `sv`, `nb`, or empty for the default.")
    time_zone: str = Field(
        None, description="An IANA time zone such as `Europe/Oslo`, or empty for the office's."
    )


class Privacy(Schema):
    """One's privacy settings. `everyone`: every colleague; `contacts`: one's contacts;
    `only_me`: nobody else. Oneself always sees everything of one's own; what is kept
    from a caller comes out null in the people endpoints (`phone`, `office`,
    `contact_count`, `shared_contacts`, …) and is not matched by the `office` filters."""

    model_config = ConfigDict(extra="forbid")

    contacts_seen_by: choice_of(Person.SeenBy) = Field(
        description="Who sees my contacts: the list, their count, the contacts I share "
        "with the caller and the chain of introductions to me."
    )
    phone_seen_by: choice_of(Person.SeenBy) = Field(description="Who sees my phone number.")
    location_seen_by: choice_of(Person.SeenBy) = Field(
        description="Who sees my office and its city (and finds me by filtering on it)."
    )
    in_who_knows: StrictBool = Field(
        description="Whether I am proposed to colleagues in “who knows about …?” "
        "(`/experts`) and when a question is routed."
    )
    in_recommendations: StrictBool = Field(
        description="Whether I may be recommended to colleagues (recommendations of people "
        "are to come; they honour this)."
    )


class TagsIn(Schema):
    tags: list[str] = Field(description='Tag names, e.g. `["wine", "python"]`.')


# --- helpers --------------------------------------------------------------------------------


def _department(department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise ValidationError(_("There is no department %(id)s."), params={"id": department_id})
    return department


def _office(office_id: int | None) -> Office | None:
    if office_id is None:
        return None
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        raise ValidationError(_("There is no office %(id)s."), params={"id": office_id})
    return office


def _manager(username: str | None) -> Person | None:
    if username is None:
        return None
    return person_named(username)


def _profile(request, viewer: Person, person: Person) -> dict:
    """Everything a profile shows, for ProfileOut (and MeOut, which adds `language`);
    what the person keeps from the caller (`permissions.privacy`) is null."""
    lens = lens_for(request)
    shows_contacts = lens.contacts(person)
    shared = network.shared_contacts(viewer, person) if shows_contacts else None
    return {
        **PersonSummary.from_orm(person, context={"request": request}).model_dump(),
        "phone": person.phone if lens.phone(person) else None,
        "languages": [part.strip() for part in person.languages.split(",") if part.strip()],
        "about": person.about,
        "manager": person.manager,
        "reporting_chain": person.reporting_chain(),
        "board_visibility": person.board_visibility,
        "joined_at": person.joined_at,
        "tags": services.tags_on(person),
        "contact_count": network.contacts_of(person).count() if shows_contacts else None,
        "shared_contact_count": shared.count() if shows_contacts else None,
        "shared_contacts": (
            list(shared.order_by("name")[:SHARED_CONTACTS_SHOWN]) if shows_contacts else None
        ),
        "path": network.path_between(viewer, person) if shows_contacts else None,
        "is_me": viewer.pk == person.pk,
        "is_contact": network.are_contacts(viewer, person),
        "following": network.is_following(viewer, person),
        "can_see_board": can_see_board(viewer, person),
        "language": person.language,
        "time_zone": person.time_zone,
    }


# --- endpoints ------------------------------------------------------------------------------


@router.get("/people", response=responses({200: OffsetPage[PersonSummary]}, 400))
def list_people(request, params: Query[DirectoryParams]):
    """The people directory: active colleagues by name, department, office and tag.

    Sorted by name; paginated with `limit` (at most 100) and `offset`.
    """
    people = services.find_people(
        query=params.q,
        department=_department(params.department),
        office=_office(params.office),
        tag=params.tag,
        viewer=request.auth,
    )
    return offset_page(people, params)


@router.get("/departments", response=responses({200: list[DepartmentOut]}))
def list_departments(request):
    """Every department (a tree: follow `parent_id`), for the directory's `department` filter."""
    return Department.objects.all()


@router.get("/offices", response=responses({200: list[OfficeOut]}))
def list_offices(request):
    """Every office, for the directory's `office` filter."""
    return Office.objects.all()


@router.get("/people/{username}", response=responses({200: ProfileOut}, 404))
def get_person(request, username: str):
    """A colleague's profile, with their tags, their network and how the caller reaches them."""
    return _profile(request, request.auth, services.visible_person(request.auth, username))


@router.get("/me", response=responses({200: MeOut}))
def get_me(request):
    """The caller's own profile, including their interface language."""
    return _profile(request, request.auth, request.auth)


@router.patch("/me", response=responses({200: MeOut}, 400))
def update_me(request, payload: ProfileIn):
    """Change fields of one's own profile; bad values are refused and nothing changes."""
    changes = payload.model_dump(exclude_unset=True)
    if "department" in changes:
        changes["department"] = _department(changes["department"])
    if "office" in changes:
        changes["office"] = _office(changes["office"])
    if "manager" in changes:
        changes["manager"] = _manager(changes["manager"])
    if "languages" in changes:
        changes["languages"] = ", ".join(part.strip() for part in changes["languages"])
    person = services.update_profile(request.auth, **changes)
    return _profile(request, person, person)


@router.get("/me/privacy", response=responses({200: Privacy}))
def get_my_privacy(request):
    """The caller's privacy settings."""
    return services.privacy_of(request.auth)


@router.put("/me/privacy", response=responses({200: Privacy}, 400))
def set_my_privacy(request, payload: Privacy):
    """Replace the caller's privacy settings (every setting is given); a bad value is
    refused (400) and nothing changes."""
    person = services.update_privacy(request.auth, **payload.model_dump())
    return services.privacy_of(person)


@router.post("/people/{username}/tags", response=responses({200: list[TagOnPerson]}, 400, 404))
def tag_person(request, username: str, payload: TagsIn):
    """Put tags on a colleague (or on oneself); who tagged is recorded and they are told.

    Answers the person's tags afterwards.
    """
    person = services.visible_person(request.auth, username)
    services.tag_person(request.auth, person, payload.tags)
    return services.tags_on(person)


@router.delete("/people/{username}/tags/{tag}", response=responses({204: None}, 403, 404))
def untag_person(request, username: str, tag: str):
    """Remove a tag from oneself (whoever gave it), or take back a tag one gave a colleague."""
    person = services.visible_person(request.auth, username)
    found = Tag.objects.filter(name=normalise_tag(tag)).first()
    if found is None:
        raise Http404
    services.remove_person_tag(request.auth, person, found)
    return Status(204, None)
