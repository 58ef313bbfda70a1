"""`kollega directory sync`: people from LDAP or Active Directory (ldap3, paged search).

Reads every entry `KOLLEGA_LDAP_FILTER` finds below `KOLLEGA_LDAP_BASE_DN`, a
page at a time, and writes each through `provision_person`: found again by a
stable id (`objectGUID` in AD, `entryUUID` in OpenLDAP), so a rename or a move
changes the person, never makes a second one. Managers are set once everyone
is written (a manager may come later in the search). People linked to the
directory whom it no longer lists are deactivated, not deleted; a search that
finds nobody deactivates nobody (a wrong base DN must not empty the intranet).

An entry without an id, a user name or a name, a manager who is not in the
directory, or a manager loop is reported with the entry's DN and logged; the
rest of the entry and every other entry are still written.
"""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollega.provisioning.models import DirectoryLink, Source
from kollega.provisioning.services.people import (
    UNSET,
    Entry,
    Report,
    deactivate_leaver,
    department_named,
    office_named,
    provision_person,
    set_manager,
)

logger = logging.getLogger("kollega.provisioning")

# Kollega's field → the directory's attribute: Active Directory's names by default.
DEFAULT_ATTRIBUTES = {
    "id": "objectGUID",
    "username": "sAMAccountName",
    "name": "displayName",
    "email": "mail",
    "title": "title",
    "phone": "telephoneNumber",
    "department": "department",
    "office": "physicalDeliveryOfficeName",
    "city": "l",
    "country": "c",
    "manager": "manager",
    "photo": "thumbnailPhoto",
    "disabled": "userAccountControl",
}
ACCOUNT_DISABLED = 0x2  # userAccountControl's ACCOUNTDISABLE bit


class SyncFailed(Exception):
    """The directory could not be read (address, bind, base DN); nothing was changed."""


def attribute_map() -> dict[str, str]:
    """DEFAULT_ATTRIBUTES with `KOLLEGA_LDAP_ATTRIBUTES` ("name=cn,photo=jpegPhoto") over it."""
    mapping = dict(DEFAULT_ATTRIBUTES)
    for pair in settings.KOLLEGA_LDAP_ATTRIBUTES.split(","):
        if not pair.strip():
            continue
        key, _eq, attribute = pair.partition("=")
        if key.strip() not in DEFAULT_ATTRIBUTES or not attribute.strip():
            raise SyncFailed(
                _("KOLLEGA_LDAP_ATTRIBUTES: %(p)s is not field=attribute with a field of %(f)s.")
                % {"p": pair.strip(), "f": ", ".join(DEFAULT_ATTRIBUTES)}
            )
        mapping[key.strip()] = attribute.strip()
    return mapping


def _connect():
    import ldap3
    from ldap3.core.exceptions import LDAPException

    if not settings.KOLLEGA_LDAP_URL or not settings.KOLLEGA_LDAP_BASE_DN:
        raise SyncFailed(_("Set KOLLEGA_LDAP_URL and KOLLEGA_LDAP_BASE_DN first."))
    try:
        server = ldap3.Server(settings.KOLLEGA_LDAP_URL, get_info=ldap3.NONE, connect_timeout=10)
        connection = ldap3.Connection(
            server,
            user=settings.KOLLEGA_LDAP_BIND_DN or None,
            password=settings.KOLLEGA_LDAP_BIND_PASSWORD or None,
            receive_timeout=60,
            raise_exceptions=True,
        )
        connection.open()
        if settings.KOLLEGA_LDAP_START_TLS:
            connection.start_tls()
        connection.bind()
    except LDAPException as error:
        raise SyncFailed(
            _("The directory at %(url)s could not be read: %(e)s")
            % {"url": settings.KOLLEGA_LDAP_URL, "e": error}
        ) from None
    return connection


def _entries(connection, mapping: dict):
    """Each entry of the paged search as (dn, {attribute lower-cased: [raw values]})."""
    from ldap3 import SUBTREE
    from ldap3.core.exceptions import LDAPException

    try:
        for result in connection.extend.standard.paged_search(
            settings.KOLLEGA_LDAP_BASE_DN,
            settings.KOLLEGA_LDAP_FILTER,
            search_scope=SUBTREE,
            attributes=sorted(set(mapping.values())),
            paged_size=settings.KOLLEGA_LDAP_PAGE_SIZE,
            generator=True,
        ):
            if result.get("type") == "searchResEntry":
                raw = {k.lower(): v for k, v in result["raw_attributes"].items()}
                yield result["dn"], raw
    except LDAPException as error:
        raise SyncFailed(_("The directory search failed: %(e)s") % {"e": error}) from None


def _text(raw: dict, attribute: str) -> str:
    values = raw.get(attribute.lower()) or []
    if not values:
        return ""
    value = values[0]
    if attribute.lower() == "objectguid" and isinstance(value, bytes) and len(value) == 16:
        return str(uuid.UUID(bytes_le=value))
    return value.decode("utf-8", "replace").strip() if isinstance(value, bytes) else str(value)


def _entry(dn: str, raw: dict, mapping: dict) -> Entry:
    key = _text(raw, mapping["id"])
    missing = [
        mapping[f] for f in ("id", "username", "name") if not _text(raw, mapping[f])
    ]  # fmt: skip
    if missing:
        raise ValidationError(_("%(dn)s has no %(a)s.") % {"dn": dn, "a": ", ".join(missing)})
    flags = _text(raw, mapping["disabled"])
    photo = (raw.get(mapping["photo"].lower()) or [None])[0]
    return Entry(
        key=key,
        username=_text(raw, mapping["username"]),
        name=_text(raw, mapping["name"]),
        email=_text(raw, mapping["email"]),
        title=_text(raw, mapping["title"]),
        phone=_text(raw, mapping["phone"]),
        department=department_named(_text(raw, mapping["department"])),
        office=office_named(
            _text(raw, mapping["office"]),
            _text(raw, mapping["city"]),
            _text(raw, mapping["country"]),
        ),
        active=not (flags.isdigit() and int(flags) & ACCOUNT_DISABLED),
        photo=photo if isinstance(photo, bytes) else None,
        manager=UNSET,
    )


def sync_directory(progress=None) -> Report:
    """Read the directory and bring Kollega's people in line with it; see the module."""
    mapping = attribute_map()
    connection = _connect()
    report, seen, by_dn, managers = Report(), set(), {}, []
    try:
        for dn, raw in _entries(connection, mapping):
            if progress:
                progress(1)
            key = _text(raw, mapping["id"])
            if key:
                seen.add(key)  # an entry with a fault is still there: its person has not left
            try:
                with transaction.atomic():
                    outcome = provision_person(Source.LDAP, _entry(dn, raw, mapping))
            except ValidationError as error:
                report.errors.append(f"{dn}: {' '.join(error.messages)}")
                continue
            report.count(outcome)
            by_dn[dn.lower()] = outcome.person
            managers.append((dn, outcome.person, _text(raw, mapping["manager"])))
    finally:
        connection.unbind()
    _set_managers(managers, by_dn, report)
    if seen:
        _deactivate_leavers(seen, report)
    else:
        report.errors.append(_("The directory search found nobody; nobody was deactivated."))
    for message in report.errors:
        logger.warning("directory sync: %s", message)
    return report


def _set_managers(managers, by_dn: dict, report: Report) -> None:
    for dn, person, manager_dn in managers:
        manager = by_dn.get(manager_dn.lower()) if manager_dn else None
        if manager_dn and manager is None:
            report.errors.append(
                _("%(dn)s: the manager %(m)s is not in the directory.")
                % {"dn": dn, "m": manager_dn}
            )
            continue
        person.refresh_from_db(fields=["manager"])
        try:
            if not set_manager("ldap", person, manager):
                continue
        except ValidationError as error:
            report.errors.append(f"{dn}: {' '.join(error.messages)}")
            continue
        report.changed.append(f"{person.user.username} (manager)")


def _deactivate_leavers(seen: set[str], report: Report) -> None:
    links = DirectoryLink.objects.filter(source=Source.LDAP, person__user__is_active=True)
    for link in links.select_related("person__user").iterator():
        if link.key not in seen and deactivate_leaver(Source.LDAP, link.person):
            report.deactivated.append(link.person.user.username)
