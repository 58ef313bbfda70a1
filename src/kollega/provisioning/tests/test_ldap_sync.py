"""`kollega directory sync` against a real OpenLDAP server (Debian's slapd) on the loopback."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from kollega.audit.models import Action, Entry
from kollega.cli import operator_for
from kollega.people.models import Person
from kollega.people.tests.factories import make_person
from kollega.provisioning.tests.slapd import ROOT_DN, ROOT_PASSWORD, SUFFIX, slapd  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(slapd, settings):  # noqa: F811
    settings.KOLLEGA_LDAP_URL = slapd.url
    settings.KOLLEGA_LDAP_BIND_DN = ROOT_DN
    settings.KOLLEGA_LDAP_BIND_PASSWORD = ROOT_PASSWORD
    settings.KOLLEGA_LDAP_BASE_DN = f"ou=people,{SUFFIX}"
    settings.KOLLEGA_LDAP_FILTER = "(objectClass=inetOrgPerson)"
    settings.KOLLEGA_LDAP_ATTRIBUTES = (
        "id=entryUUID,username=uid,name=cn,department=departmentNumber,photo=jpegPhoto"
    )
    settings.KOLLEGA_LDAP_PAGE_SIZE = 2  # several pages even for a few people
    return slapd


def sync(capsys) -> tuple[int, str, str]:
    """Run the command as the CLI does (its operator named); (exit code, out, err)."""
    code = 0
    with operator_for(["kollega", "directory", "sync"]):
        try:
            call_command("directory", "sync")
        except SystemExit as exit:
            code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def test_sync_reads_people_managers_and_photos_and_a_second_run_changes_nothing(directory, capsys):
    boss = directory.add_person("kim", "Kim Berg", title="Director", mail="kim@example.org")
    directory.add_person(
        "anna", "Anna Lind", title="Engineer", mail="anna@example.org", telephoneNumber="+46 8 1",
        departmentNumber="Platform", physicalDeliveryOfficeName="Stockholm HQ", l="Stockholm",
        manager=boss, jpegPhoto=jpeg(),
    )  # fmt: skip
    for n in range(3):
        directory.add_person(f"p{n}", f"Person {n}")
    code, out, err = sync(capsys)
    assert code == 0, err
    assert "5 created" in out
    anna = Person.objects.get(user__username="anna")
    assert (anna.name, anna.title, anna.phone, anna.user.email) == (
        "Anna Lind", "Engineer", "+46 8 1", "anna@example.org"
    )  # fmt: skip
    assert anna.department.name == "Platform" and anna.office.city == "Stockholm"
    assert anna.manager.user.username == "kim" and anna.photo.name.endswith(".jpg")
    created = Entry.objects.filter(action=Action.CREATED, target_id=str(anna.pk)).get()
    assert created.actor_name.startswith("operator ") and created.detail == {"via": "ldap"}

    code, out, err = sync(capsys)
    assert code == 0 and "0 created, 0 changed, 5 unchanged" in out, out


def test_a_renamed_entry_changes_its_person_and_one_who_left_is_deactivated(directory, capsys):
    directory.add_person("anna", "Anna Lind")
    directory.add_person("bo", "Bo Ek")
    local_admin = make_person("Break Glass", username="breakglass")
    sync(capsys)
    anna = Person.objects.get(user__username="anna")
    directory.modify("anna", cn="Anna Lind-Berg", title="Lead")
    directory.delete("bo")
    code, out, err = sync(capsys)
    assert code == 0, err
    anna.refresh_from_db()
    assert (anna.name, anna.title) == ("Anna Lind-Berg", "Lead")
    assert "deactivated: bo" in out
    bo = Person.objects.get(user__username="bo")
    assert not bo.user.is_active and bo.name == "Bo Ek"
    entry = Entry.objects.get(action=Action.ACCOUNT_CHANGED, target_id=str(bo.pk))
    assert entry.actor_name.startswith("operator ") and entry.detail == {"is_active": [True, False]}
    local_admin.user.refresh_from_db()
    assert local_admin.user.is_active  # never in the directory: never deactivated by it


def test_entries_without_required_attributes_and_manager_loops_are_reported(directory, capsys):
    a = directory.add_person("a", "Alex A")
    b = directory.add_person("b", "Blair B", manager=a)
    directory.modify("a", manager=b)
    with directory.connection() as c:  # no uid: no user name
        c.add(f"cn=Nameless,ou=people,{SUFFIX}", ["inetOrgPerson"], {"cn": "Nameless", "sn": "X"})
    code, out, err = sync(capsys)
    assert code == 1
    assert f"cn=Nameless,ou=people,{SUFFIX}: " in err and "has no uid" in err
    assert "cannot report to someone who reports to them" in err
    alex, blair = Person.objects.get(user__username="a"), Person.objects.get(user__username="b")
    assert (alex.manager is None) != (blair.manager is None)  # one of the two, never a loop
    assert "2 created" in out


def test_a_directory_that_cannot_be_read_or_finds_nobody_changes_nothing(
    directory, capsys, settings
):
    directory.add_person("anna", "Anna Lind")
    sync(capsys)
    settings.KOLLEGA_LDAP_BIND_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="could not be read"):
        call_command("directory", "sync")
    settings.KOLLEGA_LDAP_BIND_PASSWORD = ROOT_PASSWORD
    settings.KOLLEGA_LDAP_FILTER = "(uid=nobody-at-all)"
    code, out, err = sync(capsys)
    assert code == 1 and "found nobody; nobody was deactivated" in err
    assert Person.objects.get(user__username="anna").user.is_active
