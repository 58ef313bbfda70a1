"""People and profiles: creating colleagues, editing profiles, tagging, the directory."""

import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kollega import texts
from kollega.limits import PERSON_TAGGING_MAX_TAGS, PROFILE_TEXT_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people import directory
from kollega.people.models import Department, Office, Person, PersonTag
from kollega.permissions import NotFound
from kollega.permissions.privacy import PRIVACY_FIELDS, location_visible_filter
from kollega.tags.models import Tag
from kollega.tags.services import get_or_create_tags, tag_key

PROFILE_FIELDS = ("name", "title", "department", "office", "manager", "languages", "about",
                  "phone", "board_visibility", "language", "time_zone")  # fmt: skip


@transaction.atomic
def create_person(
    username: str, name: str, email: str = "", password: str | None = None, **profile
) -> Person:
    """Create a sign-in account and its profile in one step.

    A password must pass the password policy (length, common, similarity, numeric);
    without one the account signs in only through the company sign-in.
    """
    User = get_user_model()
    username = username.strip().lower()
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("The user name %(u)s is taken."), params={"u": username})
    user = User(username=username, email=email)
    if password:
        validate_password(password, user)  # the policy: settings.AUTH_PASSWORD_VALIDATORS
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    name = texts.clean(name, one_line=True, field="name")
    return Person.objects.create(user=user, name=name or username, **profile)


def _check_manager(person: Person, manager: Person | None) -> None:
    node, seen = manager, set()
    while node is not None and node.pk not in seen:
        if node.pk == person.pk:
            raise ValidationError(
                _("%(name)s cannot report to someone who reports to them."),
                params={"name": person.name},
                code="manager_cycle",
            )
        seen.add(node.pk)
        node = node.manager


def _checked_profile_text(field: str, value: str | None) -> str:
    """A profile text as kept, or a ValidationError for `field` saying what is wrong."""
    value = texts.clean(value, one_line=field != "about", field=field).strip()
    return texts.checked_length(value, PROFILE_TEXT_MAX_CHARS[field], field=field)


@transaction.atomic
def update_profile(person: Person, **changes) -> Person:
    """Change fields of one's own profile; unknown fields and bad values are refused."""
    unknown = set(changes) - set(PROFILE_FIELDS) - {"photo"}
    if unknown:
        raise ValidationError(_("Unknown profile fields: %(f)s"), params={"f": ", ".join(unknown)})
    if "manager" in changes:
        _check_manager(person, changes["manager"])
    for field, value in changes.items():
        if field in PROFILE_TEXT_MAX_CHARS:
            value = _checked_profile_text(field, value)
        setattr(person, field, value)
    person.full_clean(exclude=["user"])
    person.save()
    return person


def deactivate_person(person: Person) -> bool:
    """`person` has left: their account is made inactive, not deleted.

    They can no longer sign in (any session or API token of theirs stops working at
    its next request), are not routed questions or recommended, and their content
    stays with their name. The audit trail records the change (`account_changed`).
    Returns False if they were already inactive.
    """
    if not person.user.is_active:
        return False
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    return True


def reactivate_person(person: Person) -> bool:
    """`person` is back: their account signs in again. False if it already did."""
    if person.user.is_active:
        return False
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    return True


def time_zone_of(person: Person) -> zoneinfo.ZoneInfo:
    """The time zone a person lives by: their own, else their office's, else the site's."""
    office = person.office if person.office_id else None
    name = person.time_zone or (office.time_zone if office else "") or settings.TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def privacy_of(person: Person) -> dict:
    """`person`'s privacy settings, as `update_privacy` takes them."""
    return {field: getattr(person, field) for field in PRIVACY_FIELDS}


@transaction.atomic
def update_privacy(person: Person, **changes) -> Person:
    """Change one's own privacy settings (`permissions.privacy` says what each means).

    Unknown settings and bad values are refused with a ValidationError naming the
    setting, and then nothing changes: not even the settings given right.
    """
    unknown = set(changes) - set(PRIVACY_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown privacy settings: %(f)s"), params={"f": ", ".join(sorted(unknown))}
        )
    errors = {}
    for field, value in changes.items():
        if field.endswith("_seen_by"):
            if value not in Person.SeenBy.values:
                errors[field] = _("Choose one of: %(choices)s.") % {
                    "choices": ", ".join(Person.SeenBy.values)
                }
        elif not isinstance(value, bool):
            errors[field] = _("Choose yes or no (true or false).")
    if errors:
        raise ValidationError(errors)
    if changes:
        Person.objects.filter(pk=person.pk).update(**changes)
        for field, value in changes.items():
            setattr(person, field, value)
    return person


@transaction.atomic
def tag_person(actor: Person, person: Person, names: list[str]) -> list[PersonTag]:
    """`actor` puts tags on `person` (themself or a colleague); who tagged is recorded."""
    names = [n for n in names if n.strip()]
    if not names:
        raise ValidationError(_("Give at least one tag."), code="no_tags")
    if len(names) > PERSON_TAGGING_MAX_TAGS:
        raise ValidationError(
            _("At most %(n)d tags at a time."), params={"n": PERSON_TAGGING_MAX_TAGS}
        )
    if not person.user.is_active:
        raise ValidationError(_("This colleague has left."), code="inactive")
    tags = get_or_create_tags(names)
    links = []
    for tag in tags:
        link, created = PersonTag.objects.get_or_create(person=person, tag=tag, added_by=actor)
        links.append(link)
        if created and actor.pk != person.pk:
            notify(person, Notification.Kind.TAGGED, actor, tag=tag)
    return links


@transaction.atomic
def remove_person_tag(actor: Person, person: Person, tag: Tag) -> int:
    """Remove a tag from `person`.

    A person may remove any tag on themself (whoever put it there); a colleague
    may take back only the tag they put on.
    """
    links = PersonTag.objects.filter(person=person, tag=tag)
    if actor.pk != person.pk:
        links = links.filter(added_by=actor)
    removed, _details = links.delete()
    if not removed:
        raise PermissionDenied(_("There is no such tag you may remove."))
    return removed


def tags_on(person: Person) -> list[dict]:
    """The tags on `person`, each with how many colleagues gave it and whether self-set."""
    rows = (
        PersonTag.objects.filter(person=person)
        .values("tag__name")
        .annotate(
            colleagues=Count("added_by", filter=~Q(added_by=person)),
            by_self=Count("id", filter=Q(added_by=person)),
        )
        .order_by("-colleagues", "tag__name")
    )
    return [
        {"name": r["tag__name"], "colleagues": r["colleagues"], "self": bool(r["by_self"])}
        for r in rows
    ]


def people_tagged(tag: Tag):
    """Active people carrying `tag`, the most-tagged first."""
    return (
        Person.objects.active()
        .filter(tag_links__tag=tag)
        .annotate(times_tagged=Count("tag_links", filter=Q(tag_links__tag=tag)))
        .with_profile_parts()
        .order_by("-times_tagged", "name")
    )


def find_people(
    query: str = "",
    department: Department | None = None,
    office: Office | None = None,
    tag: str = "",
    viewer: Person | None = None,
):
    """The people directory: active colleagues by name, department, office and tag.

    Every word of `query` must start a word of their name, user name or job title
    (`people.directory`); a phone number or an office is never among those words.
    Filtering by office finds only the people whose location `viewer` may see
    (`permissions.privacy`): a hidden office cannot be found by trying each one."""
    people = Person.objects.active().with_profile_parts().filter(directory.matching(query))
    if department is not None:
        people = people.filter(department__in=department_subtree(department))
    if office is not None:
        people = people.filter(office=office).filter(location_visible_filter(viewer))
    if tag.strip():
        people = people.filter(tag_links__tag__name=tag_key(tag)).distinct()
    return people.order_by("name", "pk")


def department_subtree(department: Department) -> list[int]:
    """The ids of `department` and every department below it."""
    ids, frontier = [department.pk], [department.pk]
    while frontier:
        frontier = list(
            Department.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def visible_person(viewer: Person | None, username: str) -> Person:
    """The active colleague called `username`; else `NotFound`.

    Every signed-in colleague may see every active one (what of them, such as
    their board, is each kind's own rule); a deactivated account answers like
    one that never existed. The one way every page and endpoint reaches a person.
    """
    person = (
        Person.objects.active().with_profile_parts().filter(user__username=username.lower()).first()
    )
    if person is None:
        raise NotFound
    return person


def person_with_photo(viewer: Person, name: str) -> Person:
    """The active colleague whose photo is stored as `photos/<name>`; else `NotFound`."""
    person = Person.objects.active().filter(photo=f"photos/{name}").first()
    if person is None:
        raise NotFound
    return person


def person_by_handle(handle: str) -> Person | None:
    """The active person with this @handle, or None."""
    return (
        Person.objects.active().filter(user__username=handle.lower()).select_related("user").first()
    )


def person_for_operator(username: str) -> Person | None:
    """The person with this user name, active or not: an operator's command (a token,
    an export, an erasure) may name someone who has left."""
    return Person.objects.select_related("user").filter(user__username=username.lower()).first()


def set_public_pages(person: Person, on: bool) -> Person:
    """An administrator gives `person` public pages (their profile and the Open blog entries
    they write for the public, readable without signing in) or takes them away.

    They count only while the site allows public pages (`KOLLEGA_PUBLIC_PAGES`); turning
    them off closes the person's public pages at once (see `permissions.public`).
    """
    Person.objects.filter(pk=person.pk).update(public_pages=on)
    person.public_pages = on
    return person
