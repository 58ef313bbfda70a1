"""`kollega directory import FILE.csv`: idempotent, a clear error per bad line, a dry run."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kollega.audit.models import Action, Entry
from kollega.cli import operator_for
from kollega.people.models import Person

pytestmark = pytest.mark.django_db

GOOD = (
    "username,name,email,title,department,office,manager,active,external_id\n"
    "kim,Kim Berg,kim@example.org,Director,Management,Oslo,,true,E1\n"
    "åsa,Åsa Öberg,asa@example.org,Engineer,Platform,Oslo,kim,yes,E2\n"
)


def run(tmp_path, capsys, text: str | bytes, *options) -> tuple[int, str, str]:
    path = tmp_path / "people.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    code = 0
    with operator_for(["kollega", "directory", "import"]):
        try:
            call_command("directory", "import", str(path), *options)
        except SystemExit as exit:
            code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def test_import_creates_people_with_managers_and_a_second_import_changes_nothing(tmp_path, capsys):
    code, out, err = run(tmp_path, capsys, "\ufeff" + GOOD)  # Excel's "CSV UTF-8" has a BOM
    assert code == 0, err
    asa = Person.objects.get(user__username="åsa")
    assert (asa.name, asa.title, asa.department.name, asa.office.name) == (
        "Åsa Öberg", "Engineer", "Platform", "Oslo"
    )  # fmt: skip
    assert asa.manager.user.username == "kim"
    entry = Entry.objects.get(action=Action.CREATED, target_id=str(asa.pk))
    assert entry.actor_name.startswith("operator ") and entry.detail == {"via": "csv"}
    code, out, err = run(tmp_path, capsys, GOOD)
    assert code == 0 and "0 created, 0 changed, 2 unchanged" in out, out


def test_bad_lines_are_reported_by_number_and_the_good_ones_still_imported(tmp_path, capsys):
    text = (
        "Username,Name,Active,Manager\n"
        "ok1,Good One,true,\n"
        ",No User Name,true,\n"
        "ok2,Good Two,maybe,\n"
        "ok3,Good Three,true,nobody\n"
        "ok4,Too,Many,Fields,Here\n"
        "ok5,Good Five,false,ok1\n"
    )
    code, out, err = run(tmp_path, capsys, text)
    assert code == 1
    assert "line 3: username is empty." in err
    assert "line 4: active must be true or false, not maybe." in err
    assert "line 5: the manager nobody is nobody here." in err
    assert "line 6: has 5 fields, the header 4." in err
    names = set(Person.objects.values_list("user__username", flat=True))
    assert names == {"ok1", "ok3", "ok5"}
    ok5 = Person.objects.get(user__username="ok5")
    assert not ok5.user.is_active and ok5.manager.user.username == "ok1"


def test_a_dry_run_reports_what_would_change_and_changes_nothing(tmp_path, capsys):
    run(tmp_path, capsys, GOOD)
    changed = GOOD.replace("Director", "Chief").replace("E2\n", "E2\nnew,New Person,,,,,,,E3\n")
    entries = Entry.objects.count()
    code, out, err = run(tmp_path, capsys, changed, "--dry-run")
    assert code == 0, err
    assert "created: new" in out and "changed: kim (title)" in out and "dry run" in out
    assert not Person.objects.filter(user__username="new").exists()
    assert Person.objects.get(user__username="kim").title == "Director"
    assert Entry.objects.count() == entries


def test_a_file_in_the_wrong_encoding_is_refused_whole_with_the_line(tmp_path, capsys):
    latin1 = GOOD.encode("cp1252")
    with pytest.raises(CommandError, match=r"not UTF-8 \(line 3 .*Nothing was imported"):
        run(tmp_path, capsys, latin1)
    with pytest.raises(CommandError, match="UTF-16"):
        run(tmp_path, capsys, GOOD.encode("utf-16"))
    with pytest.raises(CommandError, match="Missing: username. Unknown: login."):
        run(tmp_path, capsys, "login,name\nkim,Kim\n")
    assert not Person.objects.exists()
