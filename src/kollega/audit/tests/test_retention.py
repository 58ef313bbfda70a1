"""Retention: old entries are purged on a schedule and the chain still verifies."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from kollega.audit import chain
from kollega.audit.models import Action, ChainHead, Entry
from kollega.audit.services import purge_old_entries, record
from kollega.ops.schedule import SCHEDULE

pytestmark = pytest.mark.django_db


def _trail(person, ages_in_days):
    now = timezone.now()
    return [record(Action.SIGN_IN, actor=person, at=now - timedelta(days=d)) for d in ages_in_days]


def test_the_purge_keeps_recent_entries_and_the_chain_verifies_from_its_anchor(dag, settings):
    settings.KOLLEGA_AUDIT_RETENTION_DAYS = 30
    entries = _trail(dag, [100, 50, 31, 10, 0])
    assert purge_old_entries() == 3
    kept = list(Entry.objects.order_by("sequence").values_list("sequence", "action"))
    assert kept == [(4, "sign_in"), (5, "sign_in"), (6, "purged")]
    head = ChainHead.objects.get()
    assert (head.anchor_sequence, head.anchor_hash) == (3, entries[2].hash)
    assert chain.verify().ok
    purged = Entry.objects.get(action=Action.PURGED)
    assert purged.detail["deleted"] == 3


def test_tampering_after_a_purge_is_still_found(dag, settings):
    settings.KOLLEGA_AUDIT_RETENTION_DAYS = 30
    _trail(dag, [100, 10, 5])
    purge_old_entries()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Entry._meta.db_table} SET actor_name = 'X' WHERE sequence = 2")
    result = chain.verify()
    assert (result.ok, result.broken) == (False, 2)


def test_a_broken_chain_is_not_purged(dag, settings):
    settings.KOLLEGA_AUDIT_RETENTION_DAYS = 30
    _trail(dag, [100, 90, 10])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Entry._meta.db_table} SET action = 'sign_out' WHERE sequence = 1")
    with pytest.raises(CommandError, match="broken at entry 1.*Nothing was purged"):
        call_command("audit", "purge")
    assert Entry.objects.count() == 3


def test_retention_zero_keeps_everything(dag, settings, capsys):
    settings.KOLLEGA_AUDIT_RETENTION_DAYS = 0
    _trail(dag, [5000, 1])
    call_command("audit", "purge")
    assert "kept forever" in capsys.readouterr().out
    assert Entry.objects.count() == 2


def test_the_purge_command_says_how_many_went(dag, settings, capsys):
    settings.KOLLEGA_AUDIT_RETENTION_DAYS = 730
    _trail(dag, [800, 731, 3])
    call_command("audit", "purge")
    assert "2 entries older than 730 days purged" in capsys.readouterr().out
    call_command("audit", "verify")
    assert "2 entries: OK" in capsys.readouterr().out


def test_purging_everything_leaves_a_verifiable_chain(dag, settings):
    settings.KOLLEGA_AUDIT_RETENTION_DAYS = 1
    _trail(dag, [10, 9])
    assert purge_old_entries() == 2
    assert chain.verify().ok  # only the purge's own entry is left
    record(Action.SIGN_OUT, actor=dag)
    assert chain.verify().ok


def test_the_purge_runs_daily_as_a_scheduled_task(dag, settings):
    from kollega.audit.tasks import purge_old_entries as task

    task_path, interval = SCHEDULE["purge-audit-trail"]
    assert task_path == "kollega.audit.tasks.purge_old_entries"
    assert interval == timedelta(days=1)
    settings.KOLLEGA_AUDIT_RETENTION_DAYS = 30
    _trail(dag, [40, 1])
    task.enqueue()  # the immediate backend runs it at once
    assert not Entry.objects.filter(sequence=1).exists()
