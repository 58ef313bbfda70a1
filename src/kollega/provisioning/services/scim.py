"""The SCIM 2.0 service provider's rules (RFC 7643, 7644): people as Users, departments
as Groups, written through `provisioning.services.people` like every other source.

A User's `id` is the person's number; `externalId` is the client's stable key
(kept as their `DirectoryLink`). The core schema's `userName`, `name`,
`displayName`, `title`, `active`, `emails`, `phoneNumbers`, `addresses` (the
work address's `formatted` is the office), `timezone` and `preferredLanguage`,
and the enterprise extension's `department` and `manager` are kept. Attributes
of those schemas Kollega does not keep (`nickName`, `roles`, `locale`, …) are
accepted and left out; any other attribute is refused (`invalidValue`), so a
misspelt mapping shows at once instead of being lost.

A PATCH is applied to the User as it reads, and the result is then written as a
PUT would: one set of checks for every way in. Deleting a User deactivates the
person (their content stays with their name); a Group is a department.
"""

import copy
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from kollega.audit.models import Action
from kollega.audit.services import record
from kollega.limits import SCIM_PAGE_ITEMS
from kollega.people.models import Department, Person
from kollega.people.services import deactivate_person, update_profile
from kollega.provisioning.models import DirectoryLink, GroupLink, Source
from kollega.provisioning.services.people import (
    UNSET,
    Entry,
    department_named,
    office_named,
    provision_person,
)
from kollega.provisioning.services.scim_errors import ScimError
from kollega.provisioning.services.scim_filter import (
    GROUP_ATTRIBUTES,
    USER_ATTRIBUTES,
    parse_filter,
)

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

# The core User attributes, by lower-cased name; the kept ones first.
USER_KEPT = ["userName", "name", "displayName", "title", "active", "emails", "phoneNumbers",
             "addresses", "timezone", "preferredLanguage", "externalId"]  # fmt: skip
USER_IGNORED = ["id", "meta", "schemas", "nickName", "profileUrl", "userType", "locale",
                "password", "ims", "photos", "groups", "entitlements", "roles",
                "x509Certificates"]  # fmt: skip
ENTERPRISE_KEPT = ["department", "manager"]
ENTERPRISE_IGNORED = ["employeeNumber", "costCenter", "organization", "division"]
MULTI_VALUED = {"emails", "phoneNumbers", "addresses", "members", "ims", "photos", "groups",
                "entitlements", "roles", "x509Certificates", "schemas"}  # fmt: skip
CANONICAL = {name.lower(): name for name in [*USER_KEPT, *USER_IGNORED, *ENTERPRISE_KEPT,
             *ENTERPRISE_IGNORED, "members", "value", "display", "type", "primary",
             "formatted", "givenName", "familyName", "locality", "country"]}  # fmt: skip


def _canonical(name: str) -> str:
    return CANONICAL.get(name.lower(), name)


# --- Reading ---------------------------------------------------------------------------


def user_resource(person: Person, base: str) -> dict:
    """`person` as a SCIM User (`base`: the absolute address of /scim/v2)."""
    user = person.user
    resource = {
        "schemas": [CORE_USER, ENTERPRISE],
        "id": str(person.pk),
        "userName": user.username,
        "name": {"formatted": person.name},
        "displayName": person.name,
        "active": user.is_active,
        "meta": {
            "resourceType": "User",
            "created": person.joined_at.isoformat(),
            "location": f"{base}/Users/{person.pk}",
        },
    }
    link = next((k for k in person.directory_links.all() if k.source == Source.SCIM), None)
    if link is not None and link.key:
        resource["externalId"] = link.key
    if person.title:
        resource["title"] = person.title
    if user.email:
        resource["emails"] = [{"value": user.email, "type": "work", "primary": True}]
    if person.phone:
        resource["phoneNumbers"] = [{"value": person.phone, "type": "work", "primary": True}]
    if person.office_id:
        office = person.office
        resource["addresses"] = [
            {
                "type": "work",
                "formatted": office.name,
                "locality": office.city,
                "country": office.country,
                "primary": True,
            }  # fmt: skip
        ]
    if person.time_zone:
        resource["timezone"] = person.time_zone
    if person.language:
        resource["preferredLanguage"] = person.language
    enterprise = {}
    if person.department_id:
        enterprise["department"] = person.department.name
    if person.manager_id:
        enterprise["manager"] = {
            "value": str(person.manager_id),
            "displayName": person.manager.name,
            "$ref": f"{base}/Users/{person.manager_id}",
        }
    resource[ENTERPRISE] = enterprise
    return resource


def group_resource(department: Department, base: str, members: bool = True) -> dict:
    """`department` as a SCIM Group; `members` False leaves the (long) list out."""
    resource = {
        "schemas": [CORE_GROUP],
        "id": str(department.pk),
        "displayName": department.name,
        "meta": {"resourceType": "Group", "location": f"{base}/Groups/{department.pk}"},
    }
    link = GroupLink.objects.filter(department=department).first()
    if link is not None and link.key:
        resource["externalId"] = link.key
    if members:
        resource["members"] = [
            {"value": str(p.pk), "display": p.name, "$ref": f"{base}/Users/{p.pk}"}
            for p in department.people.order_by("pk")
        ]
    return resource


def _users():
    return Person.objects.select_related(
        "user", "department", "office", "manager"
    ).prefetch_related("directory_links")


def _by_id(rows, resource_id: str, what: str):
    """The row of `rows` with SCIM id `resource_id`, or a 404 ScimError naming `what`."""
    number = int(resource_id) if resource_id.isdigit() and len(resource_id) < 18 else None
    found = rows.filter(pk=number).first() if number else None
    if found is None:
        raise ScimError(404, f"No {what} with id {resource_id}.")
    return found


def scim_person(resource_id: str) -> Person:
    """The person with SCIM id `resource_id` (active or not), or a 404 ScimError."""
    return _by_id(_users(), resource_id, "User")


def scim_department(resource_id: str) -> Department:
    """The department (a SCIM Group) with id `resource_id`, or a 404 ScimError."""
    return _by_id(Department.objects.all(), resource_id, "Group")


def _paging(params) -> tuple[int, int]:
    try:
        start = int(params.get("startIndex") or 1)
        count = int(params.get("count") if params.get("count") not in (None, "") else 100)
    except ValueError:
        raise ScimError(
            400, "startIndex and count must be whole numbers.", "invalidValue"
        ) from None
    return max(start, 1), min(max(count, 0), SCIM_PAGE_ITEMS)


def list_resources(kind: str, params, base: str) -> dict:
    """A ListResponse of Users or Groups matching `filter`, from `startIndex`, `count` long."""
    start, count = _paging(params)
    if kind == "Users":
        query, attributes = _users(), USER_ATTRIBUTES
    else:
        query, attributes = Department.objects.all(), GROUP_ATTRIBUTES
    if params.get("filter"):
        query = query.filter(parse_filter(params["filter"], attributes)).distinct()
    query = query.order_by("pk")
    total = query.count()
    page = list(query[start - 1 : start - 1 + count]) if count else []
    excluded = {a.strip().lower() for a in (params.get("excludedAttributes") or "").split(",")}
    if kind == "Users":
        resources = [user_resource(p, base) for p in page]
    else:
        resources = [group_resource(d, base, "members" not in excluded) for d in page]
    return list_response(resources, total, start)


def list_response(resources: list[dict], total: int, start: int = 1) -> dict:
    """The ListResponse envelope (RFC 7644 §3.4.2) around one page of `resources`."""
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


# --- Checking what a client sends ------------------------------------------------------


def _invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def _string(value, name: str, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _invalid(f"{name} must be a string, not {json.dumps(value)}.")
    if required and not value.strip():
        raise _invalid(f"{name} is required.")
    return value.strip()


def as_boolean(value, name: str) -> bool:
    """true/false, or the strings "True"/"False" Entra ID sends in a PATCH."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _invalid(f"{name} must be true or false, not {json.dumps(value)}.")


def _pick(values, name: str) -> dict | None:
    """The primary entry of a multi-valued attribute, else the work one, else the first."""
    if values is None:
        return None
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise _invalid(f"{name} must be a list of objects.")
    for test in (lambda v: v.get("primary") in (True, "true", "True"), lambda v: True):
        for preferred in ("work", None):
            for v in values:
                if test(v) and (preferred is None or v.get("type") == preferred):
                    return v
    return None


def _check_keys(doc: dict, known: list[str], ignored: list[str], where: str) -> None:
    allowed = {k.lower() for k in known + ignored}
    unknown = [k for k in doc if k.lower() not in allowed and k != ENTERPRISE]
    if unknown:
        raise _invalid(f"Unknown attribute{'s' if len(unknown) > 1 else ''} in {where}: "
                       f"{', '.join(sorted(unknown))}.")  # fmt: skip


def _lower_keys(doc: dict) -> dict:
    return {(k if k.startswith("urn:") else k.lower()): v for k, v in doc.items()}


def _manager(value) -> Person | None:
    if value in (None, "", {}):
        return None
    if isinstance(value, dict):
        value = value.get("value")
    if not isinstance(value, str | int):
        raise _invalid("manager must be an object with a value, or the manager's id.")
    value = str(value)
    number = int(value) if value.isdigit() and len(value) < 18 else None
    manager = Person.objects.filter(pk=number).first() if number else None
    if manager is None:
        link = DirectoryLink.objects.filter(source=Source.SCIM, key=value).first()
        manager = link.person if link else None
    if manager is None:
        raise _invalid(f"manager {value} is not a User here.")
    return manager


def entry_from_user(doc) -> Entry:
    """The person a User resource describes, or a ScimError (400) naming what is wrong.

    Every attribute Kollega keeps counts, as in a PUT: one left out is cleared."""
    if not isinstance(doc, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    schemas = doc.get("schemas", [CORE_USER])
    if not isinstance(schemas, list) or any(s not in (CORE_USER, ENTERPRISE) for s in schemas):
        raise _invalid(f"schemas must list {CORE_USER} (and {ENTERPRISE}), not {schemas}.")
    extension = doc.get(ENTERPRISE) or {}
    if not isinstance(extension, dict):
        raise _invalid(f"{ENTERPRISE} must be an object.")
    _check_keys(doc, USER_KEPT, USER_IGNORED, "the User")
    _check_keys(extension, ENTERPRISE_KEPT, ENTERPRISE_IGNORED, "the enterprise extension")
    user, extension = _lower_keys(doc), _lower_keys(extension)
    username = _string(user.get("username"), "userName", required=True)
    name = user.get("name") or {}
    if not isinstance(name, dict):
        raise _invalid("name must be an object (formatted, givenName, familyName).")
    name = _lower_keys(name)
    given = _string(name.get("givenname"), "name.givenName")
    family = _string(name.get("familyname"), "name.familyName")
    full = (
        _string(user.get("displayname"), "displayName")
        or _string(name.get("formatted"), "name.formatted")
        or " ".join(p for p in (given, family) if p)
        or username
    )
    email = _pick(user.get("emails"), "emails")
    phone = _pick(user.get("phonenumbers"), "phoneNumbers")
    address = _pick(user.get("addresses"), "addresses")
    language = _string(user.get("preferredlanguage"), "preferredLanguage").replace("_", "-")
    language = language.split("-")[0].lower()
    languages = {code for code, _name in settings.LANGUAGES}
    office = None
    if address is not None:
        office_name = _string(address.get("formatted"), "addresses.formatted")
        office = office_named(
            office_name,
            _string(address.get("locality"), "addresses.locality"),
            _string(address.get("country"), "addresses.country"),
        )
    return Entry(
        key=_string(user.get("externalid"), "externalId"),
        username=username,
        name=full,
        email=_string(email.get("value"), "emails.value") if email else "",
        active=as_boolean(user["active"], "active") if "active" in user else UNSET,
        title=_string(user.get("title"), "title"),
        phone=_string(phone.get("value"), "phoneNumbers.value") if phone else "",
        department=department_named(_string(extension.get("department"), "department")),
        office=office,
        manager=_manager(extension.get("manager")),
        time_zone=_string(user.get("timezone"), "timezone"),
        language=language if language in languages else "",
    )


# --- PATCH (RFC 7644 §3.5.2) -----------------------------------------------------------


def _path_parts(path: str) -> tuple[bool, str, tuple[str, str] | None, str | None]:
    """(in the enterprise extension, attribute, (filter attribute, value) or None, sub)."""
    import re

    enterprise = path.lower().startswith(ENTERPRISE.lower() + ":")
    if enterprise:
        path = path[len(ENTERPRISE) + 1 :]
    elif path.lower().startswith(CORE_USER.lower() + ":"):
        path = path[len(CORE_USER) + 1 :]
    elif path.lower().startswith(CORE_GROUP.lower() + ":"):
        path = path[len(CORE_GROUP) + 1 :]
    match = re.fullmatch(r'(\w+)(?:\[\s*(\w+)\s+eq\s+"([^"]*)"\s*\])?(?:\.(\w+))?', path.strip())
    if not match:
        raise _invalid(f"Cannot read the path {path}.")
    attribute, filter_name, filter_value, sub = match.groups()
    attribute = _canonical(attribute)
    if attribute in ENTERPRISE_KEPT + ENTERPRISE_IGNORED:
        enterprise = True
    where = (_canonical(filter_name), filter_value) if filter_name else None
    return enterprise, attribute, where, _canonical(sub) if sub else None


def _container(doc: dict, enterprise: bool) -> dict:
    if not enterprise:
        return doc
    extension = doc.setdefault(ENTERPRISE, {})
    if not isinstance(extension, dict):
        raise _invalid(f"{ENTERPRISE} must be an object.")
    return extension


def _matches(item, where) -> bool:
    if not isinstance(item, dict):
        return False
    value = item.get(where[0])
    return str(value).lower() == where[1].lower() if value is not None else False


def _apply_path(doc: dict, op: str, path: str, value) -> None:
    enterprise, attribute, where, sub = _path_parts(path)
    target = _container(doc, enterprise)
    key = next((k for k in target if k.lower() == attribute.lower()), attribute)
    if where is not None:  # emails[type eq "work"].value, members[value eq "7"]
        items = target.get(key) or []
        if not isinstance(items, list):
            raise _invalid(f"{attribute} is not multi-valued.")
        chosen = [i for i in items if _matches(i, where)]
        if op == "remove":
            if sub:
                for item in chosen:
                    item.pop(sub, None)
            else:
                target[key] = [i for i in items if all(i is not c for c in chosen)]
            return
        if not chosen:
            chosen = [{where[0]: where[1]}]
            items.append(chosen[0])
        for item in chosen:
            if sub:
                item[sub] = value
            elif isinstance(value, dict):
                item.update(value)
            else:
                raise _invalid(f"{path} takes an object.")
        target[key] = items
        return
    if sub:  # name.givenName, manager.value
        inner = target.get(key)
        if isinstance(inner, list):  # emails.value: the first (Kollega keeps one)
            inner = inner[0] if inner else None
            if inner is None and op != "remove":
                target[key] = [{}]
                inner = target[key][0]
        if inner is None:
            if op == "remove":
                return
            inner = target[key] = {}
        if not isinstance(inner, dict):
            raise _invalid(f"{attribute} has no sub-attribute {sub}.")
        if op == "remove":
            inner.pop(sub, None)
        else:
            inner[sub] = value
        return
    if op == "remove":
        if isinstance(value, list) and isinstance(target.get(key), list):  # members: these
            drop = {str(v.get("value")) for v in value if isinstance(v, dict)}
            target[key] = [i for i in target[key] if str(i.get("value")) not in drop]
        else:
            target.pop(key, None)
    elif op == "add" and attribute in MULTI_VALUED and isinstance(target.get(key), list):
        target[key] = target[key] + (value if isinstance(value, list) else [value])
    else:
        target[key] = value


def apply_patch(resource: dict, body) -> dict:
    """`resource` with the PatchOp `body` applied, as a new dict (or a 400 ScimError).

    Operations are add, replace and remove, in any letter case (Entra ID sends
    "Replace"), with a path or without one (then the value is an object of
    attributes, whose keys may be paths themselves, as Entra ID sends the
    enterprise extension's)."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        raise ScimError(400, "A PATCH needs an Operations list.", "invalidSyntax")
    if PATCH_OP not in body.get("schemas", [PATCH_OP]):
        raise _invalid(f"A PATCH must name the schema {PATCH_OP}.")
    doc = copy.deepcopy(resource)
    for operation in body["Operations"]:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise _invalid(f"Unknown op {operation.get('op')!r}: add, replace or remove.")
        path, value = operation.get("path"), operation.get("value")
        if path is not None and not isinstance(path, str):
            raise _invalid("path must be a string.")
        if path:
            _apply_path(doc, op, path, value)
        elif op == "remove":
            raise ScimError(400, "A remove needs a path.", "noTarget")
        elif not isinstance(value, dict):
            raise _invalid("An operation without a path takes an object of attributes.")
        else:
            for name, inner in value.items():
                if name == ENTERPRISE and isinstance(inner, dict):
                    for ext_name, ext_value in inner.items():
                        _apply_path(doc, op, f"{ENTERPRISE}:{ext_name}", ext_value)
                else:
                    _apply_path(doc, op, name, inner)
    return doc


# --- Writing ---------------------------------------------------------------------------


def _provision(entry: Entry, person: Person | None) -> Person:
    try:
        return provision_person(Source.SCIM, entry, person=person).person
    except ValidationError as error:
        if any(e.code == "uniqueness" for e in getattr(error, "error_list", [])):
            raise ScimError(409, " ".join(error.messages), "uniqueness") from None
        raise _invalid(" ".join(error.messages)) from None


@transaction.atomic
def create_user(doc) -> Person:
    """POST /Users: a new person; 409 uniqueness if the userName or externalId is taken.

    One transaction with reading the body: a department or office the body names is not
    made either when the request is refused."""
    entry = entry_from_user(doc)
    User = Person._meta.get_field("user").related_model
    if User.objects.filter(username=entry.username.lower()).exists():
        raise ScimError(409, f"userName {entry.username} is taken.", "uniqueness")
    if entry.key and DirectoryLink.objects.filter(source=Source.SCIM, key=entry.key).exists():
        raise ScimError(409, f"externalId {entry.key} is taken.", "uniqueness")
    if isinstance(entry.active, type(UNSET)):
        entry.active = True
    return _provision(entry, None)


@transaction.atomic
def replace_user(person: Person, doc) -> Person:
    """PUT /Users/id: the person as `doc` says (what is left out is cleared)."""
    return _provision(entry_from_user(doc), person)


@transaction.atomic
def patch_user(person: Person, body, base: str) -> Person:
    """PATCH /Users/id: the operations applied to the User, then written as a PUT.

    A patch of both the name's parts alone (Okta's givenName and familyName) renames the
    person: the displayName and formatted name read from before do not hold the old name.
    One part alone keeps the name (Kollega keeps no parts to complete it with)."""
    before = user_resource(person, base)
    after = apply_patch(before, body)
    name = after.get("name")
    parts = isinstance(name, dict) and name.get("givenName") and name.get("familyName")
    if after.get("displayName") == before["displayName"] and name != before["name"] and parts:
        after.pop("displayName", None)
        if isinstance(name, dict) and name.get("formatted") == before["name"]["formatted"]:
            name.pop("formatted", None)
    return _provision(entry_from_user(after), person)


def delete_user(person: Person) -> None:
    """DELETE /Users/id: the person has left and is deactivated, never deleted."""
    deactivate_person(person)


# --- Groups: departments ---------------------------------------------------------------


def _members(value) -> list[Person]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(m, dict) for m in value):
        raise _invalid("members must be a list of objects with a value.")
    ids = [str(m.get("value", "")) for m in value]
    numbers = [int(i) for i in ids if i.isdigit() and len(i) < 18]
    found = {str(p.pk): p for p in Person.objects.filter(pk__in=numbers)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise _invalid(f"members {', '.join(missing)} are not Users here.")
    return [found[i] for i in ids]


def _group_fields(doc) -> tuple[str, str, list[Person]]:
    if not isinstance(doc, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    allowed = {"schemas", "id", "meta", "displayname", "externalid", "members"}
    unknown = sorted(k for k in doc if k.lower() not in allowed)
    if unknown:
        raise _invalid(f"Unknown attributes in the Group: {', '.join(unknown)}.")
    group = _lower_keys(doc)
    name = _string(group.get("displayname"), "displayName", required=True)
    if len(name) > 120:
        raise _invalid("displayName is longer than 120 characters.")
    key = _string(group.get("externalid"), "externalId")
    if len(key) > 255:
        raise _invalid("externalId is longer than 255 characters.")
    return name, key, _members(group.get("members"))


def _set_members(department: Department, members: list[Person]) -> None:
    """Exactly `members` are in `department` (a person is in one department: joining
    this one moves them here; those left out are in none)."""
    wanted = {p.pk for p in members}
    for person in department.people.exclude(pk__in=wanted).select_related("user"):
        update_profile(person, department=None)
        record(Action.CHANGED, target=person, detail={"via": "scim", "fields": ["department"]})
    for person in members:
        if person.department_id != department.pk:
            update_profile(person, department=department)
            record(Action.CHANGED, target=person, detail={"via": "scim", "fields": ["department"]})


@transaction.atomic
def save_group(doc, department: Department | None = None) -> Department:
    """POST (no `department`) or PUT /Groups: the department, its name and its members."""
    name, key, members = _group_fields(doc)
    clash = Department.objects.filter(parent=None, name__iexact=name)
    if department is not None:
        clash = clash.exclude(pk=department.pk)
    if department is None and clash.exists():
        existing = clash.first()
        if GroupLink.objects.filter(department=existing).exists():
            raise ScimError(409, f"A Group called {name} exists.", "uniqueness")
        department = existing  # a department made by hand: the client takes it over
    elif clash.exists():
        raise ScimError(409, f"A Group called {name} exists.", "uniqueness")
    if key and GroupLink.objects.filter(key=key).exclude(department=department).exists():
        raise ScimError(409, f"externalId {key} is taken.", "uniqueness")
    if department is None:
        department = Department.objects.create(name=name)
    elif department.name != name:
        department.name = name
        department.save(update_fields=["name"])
    GroupLink.objects.update_or_create(department=department, defaults={"key": key})
    _set_members(department, members)
    return department


def patch_group(department: Department, body, base: str) -> Department:
    return save_group(apply_patch(group_resource(department, base), body), department)


@transaction.atomic
def delete_group(department: Department) -> None:
    """DELETE /Groups/id: the department goes; its people stay, in no department."""
    if department.children.exists():
        raise ScimError(400, "This Group has sub-departments; remove them first.", "mutability")
    for person in department.people.select_related("user"):
        update_profile(person, department=None)
        record(Action.CHANGED, target=person, detail={"via": "scim", "fields": ["department"]})
    department.delete()
