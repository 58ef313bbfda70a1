"""Crash test: SIGKILL `kollega digest send` mid-run, run it again; everyone gets one digest.

Real processes over a database of their own (a file on SQLite, a fresh database on
PostgreSQL), mail through a real SMTP server
(aiosmtpd) on the loopback. Each digest's mail (a queued delivery) and its
record (`DigestSent`) are one transaction, so the killed run left, per person,
both or neither, and the second run makes only the missing ones.
"""

import collections
import signal
import subprocess
import sys

import pytest
from real_processes import wait_for

from kollega.mail.tests.smtp import SmtpServer

pytestmark = pytest.mark.crash

PEOPLE = 200

SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from kollega.people.services import create_person
from kollega.qa.services import ask_question, send_question
asker = create_person("asker", "Asker", email="asker@example.org")
people = [
    create_person(f"p{n}", f"Person {n}", email=f"p{n}@example.org")
    for n in range(int(sys.argv[1]))
]
question = ask_question(asker, "Which yeast for a saison?")
for start in range(0, len(people), 20):
    send_question(asker, question, people[start : start + 20])
"""

DELIVER = """
import django
django.setup()
from kollega.mail.tasks import send_mail
send_mail.call()
"""


def run_python(code, env, *args):
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def digest_send(env):
    return subprocess.Popen(
        [sys.executable, "-m", "kollega", "digest", "send", "--period", "daily"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def made(db) -> int:
    try:
        return db.query("SELECT COUNT(*) FROM digests_digestsent")[0][0]
    except Exception:  # the table is not there yet, or the database is busy
        return 0


def test_a_killed_digest_run_then_a_second_one_mail_everyone_exactly_once(server_database):
    smtp = SmtpServer()
    smtp.start()
    env = {
        **server_database.env,
        "KOLLEGA_TASKS_BACKEND": "immediate",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "KOLLEGA_SITE_URL": "https://intranet.example.com",
    }
    try:
        run_python(SETUP, env, str(PEOPLE))
        db = server_database

        first = digest_send(env)
        wait_for(lambda: made(db) >= 20, timeout=120, what="the first digests")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
        killed_at = made(db)
        assert first.returncode == -signal.SIGKILL
        assert 0 < killed_at < PEOPLE + 1, "the run was not killed mid-way"
        # Every mail has its record and every record (but the asker's empty one) its mail.
        [(records, with_mail)] = db.query(
            "SELECT COUNT(*), COUNT(delivery_id) FROM digests_digestsent"
        )
        [(mails,)] = db.query("SELECT COUNT(*) FROM mail_delivery WHERE kind = 'digest'")
        assert mails == with_mail and records - with_mail == 1

        second = digest_send(env)
        out, err = second.communicate(timeout=600)
        assert second.returncode == 0, err
        assert f"made before {killed_at}" in out

        run_python(DELIVER, env)
    finally:
        smtp.stop()

    received = collections.Counter(message["To"] for message in smtp.messages)
    assert set(received.values()) == {1}
    assert len(received) == PEOPLE  # the asker has nothing waiting: no (empty) digest
    [(records,)] = db.query("SELECT COUNT(*) FROM digests_digestsent")
    assert records == PEOPLE + 1
