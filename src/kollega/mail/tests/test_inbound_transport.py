"""Replies arriving as an MTA hands them over: `kollega mail receive` as a real process
(its exit codes), and `kollega mail serve`'s listener over a real SMTP or LMTP connection."""

import signal
import smtplib
import subprocess
import sys
import time

import pytest

from kollega.limits import INBOUND_MAIL_MAX_BYTES
from kollega.mail.listener import start_listener
from kollega.mail.tests.replying import REPLY_ADDRESS, burst_ends, reply
from kollega.mail.tests.smtp import free_port
from kollega.qa.models import Answer
from kollega.qa.services import ask_question, send_question


def run_receive(raw: bytes, server_database, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kollega", "mail", "receive"],
        input=raw,
        capture_output=True,
        env={**server_database.env, **env},
        timeout=120,
    )


def test_a_huge_message_is_refused_with_exit_code_65(server_database):
    raw = b"From: bjorn@example.org\r\nTo: reply+x@example.org\r\n\r\n"
    raw += b"x" * (INBOUND_MAIL_MAX_BYTES + 10)
    done = run_receive(raw, server_database)
    assert done.returncode == 65
    assert b"too large" in done.stderr


def test_something_that_is_not_a_mail_is_refused_with_exit_code_65(server_database):
    done = run_receive(b"\x00\x01 hello, this is no mail\n", server_database)
    assert done.returncode == 65
    assert b"no sender address" in done.stderr


def test_without_a_database_receive_exits_75_so_the_mta_tries_again(server_database):
    raw = reply(None, "Hello.", sender="bjorn@example.org", to="reply+abc@example.org")
    done = run_receive(raw, server_database, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert done.returncode == 75, done.stderr
    assert b"try again later" in done.stderr


@pytest.fixture
def question_mail(transactional_db, settings, smtp_server, anna, bjorn):
    settings.KOLLEGA_REPLY_ADDRESS = REPLY_ADDRESS
    question = ask_question(anna, "Which yeast for a saison?", "Dry and peppery, please.")
    send_question(anna, question, [bjorn])
    burst_ends()
    [mail] = smtp_server.to("bjorn@example.org")
    return question, mail


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.parametrize("lmtp", [False, True], ids=["smtp", "lmtp"])
def test_a_reply_over_smtp_or_lmtp_becomes_the_answer(question_mail, bjorn, lmtp):
    question, mail = question_mail
    port = free_port()
    listener = start_listener("127.0.0.1", port, lmtp=lmtp)
    try:
        client = smtplib.LMTP("127.0.0.1", port) if lmtp else smtplib.SMTP("127.0.0.1", port)
        with client:
            # On the wire every line ends with CRLF (smtplib sends bytes as they are).
            raw = reply(mail, "Wyeast 3724, by mail.", sender="bjorn@example.org")
            raw = raw.replace(b"\n", b"\r\n")
            refused = client.sendmail("bjorn@example.org", [mail["Reply-To"].strip()], raw)
            assert refused == {}
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail("bjorn@example.org", ["postmaster@intranet.example.com"], raw)
    finally:
        listener.stop()
    wait_for(lambda: Answer.objects.filter(question=question).exists())
    answer = Answer.objects.get(question=question)
    assert (answer.author, answer.body) == (bjorn, "Wyeast 3724, by mail.")


def test_the_listener_refuses_a_huge_message(question_mail):
    _question, mail = question_mail
    port = free_port()
    listener = start_listener("127.0.0.1", port)
    try:
        with smtplib.SMTP("127.0.0.1", port) as client:
            text = ("x" * 70 + "\n") * (INBOUND_MAIL_MAX_BYTES // 70 + 10)
            raw = reply(mail, text, sender="bjorn@example.org").replace(b"\n", b"\r\n")
            with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused:
                client.sendmail("bjorn@example.org", [mail["Reply-To"].strip()], raw)
            assert refused.value.smtp_code == 552
    finally:
        listener.stop()
    assert not Answer.objects.exists()


def test_kollega_mail_serve_takes_only_reply_addresses_and_stops_on_sigterm(server_database):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kollega", "mail", "serve", "--port", str(port), "--lmtp"],
        env=server_database.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert b"Taking replies over LMTP on 127.0.0.1:" in server.stdout.readline()
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.ehlo_or_helo_if_needed()
            client.mail("bjorn@example.org")
            code, _message = client.rcpt("postmaster@intranet.example.com")
            assert code == 550
            code, _message = client.rcpt("reply+abc@intranet.example.com")
            assert code == 250
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
        server.wait()
