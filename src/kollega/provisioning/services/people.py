"""Writing what a directory says about a person: the one path SCIM, LDAP and CSV share.

Every write goes through the people services (`create_person`, `update_profile`,
`deactivate_person`), so the same rules hold as for a person editing their own
profile: text cleaned and length-checked, no manager loops, a known time zone.
A person is found again by their link to the source (`DirectoryLink`), else by
user name (adopting an account made before, never a superuser's).

What changes is recorded in the audit trail (`created`/`changed` of the person,
with `detail.via` naming the source; `account_changed` for (de)activation) with
the operator or SCIM client as actor, and logged on `kollega.provisioning`.
"""

import hashlib
import io
import logging
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kollega import texts
from kollega.audit.models import Action
from kollega.audit.services import record
from kollega.limits import DIRECTORY_PHOTO_MAX_BYTES, PROFILE_TEXT_MAX_CHARS
from kollega.people.models import Department, Office, Person
from kollega.people.services import (
    create_person,
    deactivate_person,
    reactivate_person,
    update_profile,
)
from kollega.provisioning.models import DirectoryLink

logger = logging.getLogger("kollega.provisioning")

# Profile fields a source may set (None in `Entry` means: the source says nothing of it).
SOURCE_PROFILE_FIELDS = ("title", "phone", "department", "office", "time_zone", "language")


class Unset:
    """The source says nothing about a field: it is left as it is."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


@dataclass
class Entry:
    """What a source says about one person. UNSET fields are left as they are."""

    key: str
    username: str
    name: str
    email: str | Unset = UNSET
    active: bool | Unset = UNSET
    title: str | Unset = UNSET
    phone: str | Unset = UNSET
    department: Department | None | Unset = UNSET
    office: Office | None | Unset = UNSET
    manager: Person | None | Unset = UNSET
    time_zone: str | Unset = UNSET
    language: str | Unset = UNSET
    photo: bytes | None | Unset = UNSET


@dataclass
class Outcome:
    person: Person
    created: bool = False
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a directory sync or import did, for the operator."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, outcome: "Outcome") -> None:
        """Note one person's `provision_person` outcome, and its warnings as errors."""
        username = outcome.person.user.username
        if outcome.created:
            self.created.append(username)
        elif outcome.changed:
            self.changed.append(f"{username} ({', '.join(outcome.changed)})")
        else:
            self.unchanged += 1
        for warning in outcome.warnings:
            self.errors.append(f"{username}: {warning}")


def set_manager(via: str, person: Person, manager: Person | None) -> bool:
    """Give `person` this manager (None: none), audited as done by `via`; False when it
    was so already. A ValidationError (a loop in the chain) changes nothing."""
    if person.manager_id == (manager.pk if manager else None):
        return False
    with transaction.atomic():
        update_profile(person, manager=manager)
        record(Action.CHANGED, target=person, detail={"via": via, "fields": ["manager"]})
    return True


def linked_person(source: str, key: str) -> Person | None:
    """The person the source's entry `key` is, if it was provisioned before."""
    if not key:
        return None
    link = DirectoryLink.objects.select_related("person__user").filter(source=source, key=key)
    link = link.first()
    return link.person if link else None


def person_to_adopt(username: str) -> Person | None:
    """An existing account with this user name the source may take over (not a superuser)."""
    person = Person.objects.select_related("user").filter(user__username=username.lower()).first()
    if person is not None and person.user.is_superuser:
        raise ValidationError(
            _("%(u)s is a local administrator and is never taken over by a directory."),
            params={"u": username},
            code="uniqueness",
        )
    return person


def department_named(name: str) -> Department | None:
    """The department called `name` (a top-level one first), made if there is none."""
    name = " ".join((name or "").split())[:120]
    if not name:
        return None
    found = Department.objects.filter(name__iexact=name).order_by("parent_id", "pk")
    return found.first() or Department.objects.create(name=name)


def office_named(name: str, city: str = "", country: str = "") -> Office | None:
    """The office called `name`, made (with the city and country given) if there is none."""
    name = " ".join((name or "").split())[:120]
    if not name:
        return None
    office = Office.objects.filter(name__iexact=name).first()
    if office is None:
        office = Office.objects.create(name=name, city=city[:120], country=country[:2].upper())
    return office


def _check_username(username: str, person: Person | None) -> str:
    User = get_user_model()
    username = (username or "").strip().lower()
    if not username:
        raise ValidationError(_("A user name is required."), code="required")
    taken = User.objects.filter(username=username)
    if person is not None:
        taken = taken.exclude(pk=person.user_id)
    if taken.exists():
        raise ValidationError(
            _("The user name %(u)s is taken."), params={"u": username}, code="uniqueness"
        )
    return username


def _set_link(person: Person, source: str, key: str) -> DirectoryLink:
    texts.checked_length(key, DirectoryLink._meta.get_field("key").max_length, field="key")
    link = DirectoryLink.objects.filter(source=source, person=person).first()
    if key and DirectoryLink.objects.filter(source=source, key=key).exclude(person=person).exists():
        raise ValidationError(
            _("Another person already has the key %(k)s."), params={"k": key}, code="uniqueness"
        )
    if link is None:
        return DirectoryLink.objects.create(person=person, source=source, key=key)
    if key and link.key != key:
        link.key = key
        link.save(update_fields=["key", "synced_at"])
    return link


def _account_changes(person: Person, entry: Entry) -> dict:
    user, changes = person.user, {}
    username = _check_username(entry.username, person)
    if username != user.username:
        changes["username"] = username
    if not isinstance(entry.email, Unset) and entry.email.strip() != user.email:
        changes["email"] = entry.email.strip()
    return changes


def _profile_changes(person: Person, entry: Entry) -> dict:
    changes = {}
    if entry.name and entry.name != person.name:
        changes["name"] = entry.name
    for name in (*SOURCE_PROFILE_FIELDS, "manager"):
        value = getattr(entry, name)
        if isinstance(value, Unset):
            continue
        current = getattr(person, name)
        if name in ("department", "office", "manager"):
            same = (current.pk if current else None) == (value.pk if value else None)
        else:
            value = value or ""
            same = current == value
        if not same:
            changes[name] = value
    return changes


def _photo_file(content: bytes) -> ContentFile:
    """The photo as a file to keep, or a ValidationError: too large or not an image."""
    from PIL import Image, UnidentifiedImageError

    if len(content) > DIRECTORY_PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is too large (at most 2 MB)."), code="photo")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = (image.format or "jpeg").lower()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(_("The photo is not an image."), code="photo") from None
    extension = {"jpeg": "jpg"}.get(kind, kind)
    return ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}")


def _apply_photo(person: Person, link: DirectoryLink, photo) -> bool:
    if isinstance(photo, Unset):
        return False
    digest = hashlib.sha256(photo).hexdigest() if photo else ""
    if digest == link.photo_hash:
        return False
    if photo:
        file = _photo_file(photo)
        person.photo.save(file.name, file, save=False)
    else:
        person.photo = ""
    Person.objects.filter(pk=person.pk).update(photo=person.photo.name or "")
    link.photo_hash = digest
    link.save(update_fields=["photo_hash", "synced_at"])
    return True


@transaction.atomic
def provision_person(source: str, entry: Entry, person: Person | None = None) -> Outcome:
    """Create or update the person `entry` describes, as source `source` says.

    `person` is who the entry is already known to be (a SCIM request names them by
    id); else they are found by their link to the source, else by user name. A
    ValidationError (code `uniqueness`, `required`, `manager_cycle`, …) says what is
    wrong, and then nothing of the entry is saved.
    """
    person = person or linked_person(source, entry.key) or person_to_adopt(entry.username)
    if person is None:
        outcome = Outcome(_create(source, entry), created=True)
        person = outcome.person
    else:
        outcome = Outcome(person)
        outcome.changed = _update(person, entry)
    link = _set_link(person, source, entry.key)
    try:
        if _apply_photo(person, link, entry.photo):
            outcome.changed.append("photo")
    except ValidationError as error:  # the rest of the entry is still worth keeping
        outcome.warnings.extend(error.messages)
        logger.warning("%s: photo of %s not taken: %s", source, person.user.username, error)
    if not isinstance(entry.active, Unset):
        switched = reactivate_person(person) if entry.active else deactivate_person(person)
        if switched and not outcome.created:
            outcome.changed.append("active")
    if outcome.created:
        record(Action.CREATED, target=person, detail={"via": source})
        logger.info("%s: created %s (%s)", source, person.user.username, entry.key)
    elif outcome.changed:
        fields = sorted(set(outcome.changed) - {"active"})
        if fields:
            record(Action.CHANGED, target=person, detail={"via": source, "fields": fields})
        logger.info("%s: changed %s: %s", source, person.user.username, ", ".join(outcome.changed))
    return outcome


def _create(source: str, entry: Entry) -> Person:
    username = _check_username(entry.username, None)
    name = texts.clean(entry.name, one_line=True, field="name")
    texts.checked_length(name, PROFILE_TEXT_MAX_CHARS["name"], field="name")
    email = "" if isinstance(entry.email, Unset) else entry.email.strip()
    person = create_person(username, entry.name or username, email=email)
    changes = _profile_changes(person, entry)
    changes.pop("name", None)
    if changes:
        update_profile(person, **changes)
    return person


def _update(person: Person, entry: Entry) -> list[str]:
    account = _account_changes(person, entry)
    profile = _profile_changes(person, entry)
    if account:
        for name, value in account.items():
            setattr(person.user, name, value)
        person.user.full_clean(exclude=["password"])
        person.user.save(update_fields=list(account))
    if profile:
        update_profile(person, **profile)
    return sorted([*account, *profile])


def deactivate_leaver(source: str, person: Person) -> bool:
    """The source no longer lists `person`: their account is made inactive (not deleted)."""
    if deactivate_person(person):
        logger.info("%s: deactivated %s, who left", source, person.user.username)
        return True
    return False
