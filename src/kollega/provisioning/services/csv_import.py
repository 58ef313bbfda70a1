"""`kollega directory import FILE.csv`: people from a spreadsheet, the simplest directory.

The file is UTF-8 (with or without a byte order mark), comma-separated, with a
header row naming the columns (any order, any letter case):

    username, name            required
    email, title, phone, department, office, manager (the manager's user name),
    active (true/false, yes/no, 1/0; default true), external_id, time_zone

Each line is one person, found again by `external_id` (else by user name), so
importing the same file twice changes nothing. A file that cannot be read (not
UTF-8, no header, a missing or unknown column) is refused whole. Otherwise a bad
line is reported with its line number and skipped; the good lines are still
imported. People missing from the file are left as they are (a partial file
never deactivates anyone; write `active` false for those who left). A dry run
does everything in a transaction that is rolled back, so it reports exactly
what would change and changes nothing.
"""

import csv
import io
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollega.people.models import Person
from kollega.provisioning.models import Source
from kollega.provisioning.services.people import (
    Entry,
    Report,
    department_named,
    office_named,
    provision_person,
    set_manager,
)

logger = logging.getLogger("kollega.provisioning")
REQUIRED = ("username", "name")
COLUMNS = (*REQUIRED, "email", "title", "phone", "department", "office", "manager", "active",
           "external_id", "time_zone")  # fmt: skip
TRUE, FALSE = {"true", "yes", "1", "y", ""}, {"false", "no", "0", "n"}


class UnusableFile(Exception):
    """The file cannot be imported at all; nothing was changed."""


def decoded(content: bytes) -> str:
    """The file's text, or UnusableFile saying it is not UTF-8 and where."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnusableFile(_("The file is UTF-16; save it as UTF-8 (CSV UTF-8) and try again."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise UnusableFile(
            _(
                "The file is not UTF-8 (line %(line)d has a byte UTF-8 does not allow; "
                "it may be Latin-1 or Windows-1252). Save it as UTF-8 (CSV UTF-8) and try again."
            )
            % {"line": line}
        ) from None


def _rows(text: str):
    """(line number, row) for each line after the header, or UnusableFile."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UnusableFile(_("The file is empty.")) from None
    except csv.Error as error:
        raise UnusableFile(_("The header row cannot be read: %(e)s") % {"e": error}) from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    if missing or unknown:
        raise UnusableFile(
            _("The header row must name the columns %(required)s (and may name %(optional)s).")
            % {"required": ", ".join(REQUIRED), "optional": ", ".join(COLUMNS[2:])}
            + (" " + _("Missing: %(m)s.") % {"m": ", ".join(missing)} if missing else "")
            + (" " + _("Unknown: %(u)s.") % {"u": ", ".join(unknown)} if unknown else "")
        )
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnusableFile(
                _("Line %(n)d cannot be read: %(e)s") % {"n": start, "e": error}
            ) from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield (
                start,
                _("has %(got)d fields, the header %(want)d.")
                % {
                    "got": len(row),
                    "want": len(names),
                },
            )
            continue
        yield start, {n: cell.strip() for n, cell in zip(names, row, strict=True)}


def _entry(row: dict) -> Entry:
    for column in REQUIRED:
        if not row.get(column):
            raise ValidationError(_("%(c)s is empty.") % {"c": column})
    active = row.get("active", "").lower()
    if active not in TRUE | FALSE:
        raise ValidationError(_("active must be true or false, not %(v)s.") % {"v": row["active"]})
    entry = Entry(key=row.get("external_id", ""), username=row["username"], name=row["name"])
    entry.active = active in TRUE
    for column in ("email", "title", "phone", "time_zone"):
        if column in row:
            setattr(entry, column, row[column])
    if "department" in row:
        entry.department = department_named(row["department"])
    if "office" in row:
        entry.office = office_named(row["office"])
    return entry


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def import_people(content: bytes, dry_run: bool = False, progress=None) -> Report:
    """Import the CSV file `content`; see the module's docstring. Raises UnusableFile."""
    text = decoded(content)
    rows = list(_rows(text))  # the header is checked before anything is written
    report = Report()
    if dry_run:
        logger.disabled = True
    try:
        with transaction.atomic():
            managers = _people(rows, report, progress)
            _managers(managers, report)
            if dry_run:
                transaction.set_rollback(True)
    finally:
        logger.disabled = False
    for message in report.errors:
        logger.warning("csv import: %s", message)
    return report


def _people(rows, report: Report, progress) -> list[tuple[int, Person, str]]:
    managers = []
    for line, row in rows:
        if progress:
            progress(1)
        if isinstance(row, str):
            report.errors.append(_("line %(n)d: %(e)s") % {"n": line, "e": row})
            continue
        try:
            with transaction.atomic():
                outcome = provision_person(Source.CSV, _entry(row))
        except ValidationError as error:
            report.errors.append(_("line %(n)d: %(e)s") % {"n": line, "e": _message(error)})
            continue
        report.count(outcome)
        if "manager" in row:
            managers.append((line, outcome.person, row["manager"].lower()))
    return managers


def _managers(managers, report: Report) -> None:
    """Managers last, once everyone in the file exists: a manager may be on a later line."""
    for line, person, username in managers:
        manager = None
        if username:
            manager = Person.objects.filter(user__username=username).first()
            if manager is None:
                report.errors.append(
                    _("line %(n)d: the manager %(m)s is nobody here.") % {"n": line, "m": username}
                )
                continue
        try:
            if not set_manager("csv", person, manager):
                continue
        except ValidationError as error:
            report.errors.append(_("line %(n)d: %(e)s") % {"n": line, "e": _message(error)})
            continue
        if person.user.username not in report.created:
            report.changed.append(f"{person.user.username} (manager)")
