"""The chain: entries append in order, cannot be changed, and tampering is found."""

import json
import subprocess
import sys
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kollega.audit import chain
from kollega.audit.models import Action, AppendOnly, ChainHead, Entry
from kollega.audit.services import record


def test_each_entry_carries_the_hash_of_the_one_before(dag):
    first = record(Action.SIGN_IN, actor=dag, target=dag)
    second = record(Action.SIGN_OUT, actor=dag, target=dag)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.prev_hash == first.hash == chain.hash_of(first)
    assert first.prev_hash == "0" * 64
    assert chain.verify().ok


def test_entries_refuse_to_be_changed_or_deleted_through_the_orm(dag):
    entry = record(Action.SIGN_IN, actor=dag)
    entry.action = Action.SIGN_OUT
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).update(action=Action.SIGN_OUT)
    with pytest.raises(AppendOnly):
        Entry.objects.all().delete()
    assert Entry.objects.get().action == Action.SIGN_IN


def test_the_actor_name_stays_when_the_person_is_renamed(dag):
    entry = record(Action.SIGN_IN, actor=dag)
    dag.name = "Former colleague"
    dag.save()
    assert Entry.objects.get(pk=entry.pk).actor_name == "Dag Berg"
    assert chain.verify().ok


def _tamper(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_names_the_entry_changed_in_the_database(dag, capsys):
    for _ in range(5):
        record(Action.SIGN_IN, actor=dag)
    table = Entry._meta.db_table
    _tamper(f"UPDATE {table} SET actor_name = %s WHERE sequence = %s", ["Eva Ek", 3])
    with pytest.raises(CommandError, match="broken at entry 3: was changed"):
        call_command("audit", "verify")


def test_verify_finds_a_removed_entry_and_removed_newest_entries(dag):
    for _ in range(5):
        record(Action.SIGN_IN, actor=dag)
    table = Entry._meta.db_table
    _tamper(f"DELETE FROM {table} WHERE sequence = %s", [5])
    result = chain.verify()
    assert (result.ok, result.broken) == (False, 5)
    _tamper(f"DELETE FROM {table} WHERE sequence = %s", [2])
    result = chain.verify()
    assert (result.ok, result.broken, result.count) == (False, 2, 1)


def test_verify_prints_the_count_and_ok(dag, capsys):
    for _ in range(3):
        record(Action.SIGN_IN, actor=dag)
    call_command("audit", "verify")
    assert "3 entries: OK" in capsys.readouterr().out


def test_verify_of_an_empty_trail_is_ok(db, capsys):
    call_command("audit", "verify")
    assert "0 entries: OK" in capsys.readouterr().out


def test_an_audit_failure_is_logged_loudly_and_the_write_goes_on(dag, caplog):
    """Decided: an audit failure never refuses the write; it is logged at CRITICAL."""
    from kollega.posts.services import post_on_board

    ChainHead.objects.all().delete()
    ChainHead.objects.create(pk=1, sequence=0, hash="x")
    record(Action.SIGN_IN, actor=dag)  # sequence 1 again: the unique number is taken…
    ChainHead.objects.filter(pk=1).update(sequence=0)  # …so the next append fails
    with caplog.at_level("CRITICAL", logger="kollega.audit"):
        post = post_on_board(dag, "Lunch at noon")
    assert post.pk is not None
    assert any(r.levelname == "CRITICAL" for r in caplog.records)
    assert "could not record" in caplog.text


def appends_at_once(threads: int = 4, each: int = 15) -> dict:
    """Run in a `kollega` process over the product's own database (see the test below):
    `threads` threads, each with its own connection, append `each` entries at once."""
    from django.core.management import call_command

    from kollega.people.tests.factories import make_person

    call_command("migrate", verbosity=0, interactive=False)
    person = make_person("Dag Berg", "dag")
    start, errors = threading.Barrier(threads), []

    def append_some():
        try:
            start.wait(timeout=60)
            for _ in range(each):
                if record(Action.SIGN_IN, actor=person) is None:
                    errors.append("not recorded")
        except BaseException as error:  # reported below
            errors.append(repr(error))
        finally:
            connection.close()  # this thread's own connection

    workers = [threading.Thread(target=append_some) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    result = chain.verify()
    return {
        "vendor": connection.vendor,
        "errors": errors,
        "sequences": sorted(Entry.objects.values_list("sequence", flat=True)),
        "ok": result.ok,
    }


RUN_APPENDS = """
import json, django
django.setup()
from kollega.audit.tests.test_chain import appends_at_once
print(json.dumps(appends_at_once()))
"""


def test_concurrent_appends_keep_one_unbroken_chain(server_database):
    """Four threads with their own connections to the product's database (SQLite's WAL
    file with the settings' busy timeout, or PostgreSQL) append 15 entries each at once:
    60 entries numbered 1 to 60 without gaps, and the chain verifies."""
    result = subprocess.run(
        [sys.executable, "-c", RUN_APPENDS],
        env=server_database.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["vendor"] == ("postgresql" if server_database.url else "sqlite")
    assert outcome["errors"] == []
    assert outcome["sequences"] == list(range(1, 61))
    assert outcome["ok"]


def test_kollega_audit_verify_exits_1_naming_the_broken_entry(dag, capsys):
    from kollega.cli import main

    for _ in range(3):
        record(Action.SIGN_IN, actor=dag)
    _tamper(f"UPDATE {Entry._meta.db_table} SET detail = %s WHERE sequence = %s", ['{"a": 1}', 2])
    with pytest.raises(SystemExit) as exit:
        main(["kollega", "audit", "verify"])
    assert exit.value.code == 1
    assert "broken at entry 2: was changed after writing" in capsys.readouterr().err
