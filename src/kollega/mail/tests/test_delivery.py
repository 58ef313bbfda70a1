"""Deliveries through a real SMTP server: retried while it is down, never lost, never twice."""

import io
import logging
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from kollega.mail import services
from kollega.mail.models import Delivery
from kollega.mail.tasks import send_mail
from kollega.people.models import Person

pytestmark = pytest.mark.django_db


def queue_hello(person: Person) -> Delivery:
    return services.queue_mail(
        person,
        kind="test",
        subject=f"Hello {person.name}",
        text="Hello in plain text.",
        html="<p>Hello in HTML.</p>",
        headers={},
    )


def time_passes(hours: float) -> None:
    """Every waiting delivery's next attempt comes `hours` sooner, as if the time had gone by."""
    Delivery.objects.filter(next_attempt_at__isnull=False).update(
        next_attempt_at=F("next_attempt_at") - timedelta(hours=hours),
        created_at=F("created_at") - timedelta(hours=hours),
    )


def mail_status() -> str:
    out = io.StringIO()
    call_command("mail", "status", stdout=out)
    return out.getvalue()


def test_every_mail_arrives_exactly_once_after_the_smtp_server_was_down(
    smtp_server, anna, bjorn, carla, caplog
):
    queue_hello(anna)
    smtp_server.stop()
    queue_hello(bjorn)
    queue_hello(carla)

    with caplog.at_level(logging.WARNING, logger="kollega.mail"):
        send_mail.enqueue()
    assert smtp_server.messages == []
    waiting = Delivery.objects.all()
    assert {d.status for d in waiting} == {Delivery.Status.QUEUED}
    assert {d.attempts for d in waiting} == {1}
    assert all(d.next_attempt_at > timezone.now() for d in waiting)
    assert all("Connection refused" in d.last_error for d in waiting)
    assert caplog.text.count("retried in 0:01:00") == 3
    status = mail_status()
    assert "Failing (3):" in status and "anna@example.org" in status

    send_mail.enqueue()  # not due yet: nobody is tried again at once
    assert {d.attempts for d in Delivery.objects.all()} == {1}

    time_passes(hours=0.5)
    send_mail.enqueue()  # still down half an hour later
    assert {d.attempts for d in Delivery.objects.all()} == {2}

    smtp_server.start()
    time_passes(hours=0.5)
    send_mail.enqueue()
    send_mail.enqueue()
    time_passes(hours=2)
    send_mail.enqueue()

    arrived = smtp_server.messages
    assert sorted(m["To"] for m in arrived) == [
        "anna@example.org",
        "bjorn@example.org",
        "carla@example.org",
    ]
    assert len({m["Message-ID"] for m in arrived}) == 3
    assert {d.status for d in Delivery.objects.all()} == {Delivery.Status.SENT}
    assert "Nothing is failing." in mail_status()


def test_a_server_that_never_answers_is_given_up_on_for_now_and_retried(settings, anna):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # accepts connections, never says a word
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent.getsockname()
    settings.EMAIL_TIMEOUT = 0.5
    try:
        delivery = queue_hello(anna)
        assert services.send_delivery(delivery.pk) == Delivery.Status.QUEUED
    finally:
        silent.close()
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert "timed out" in delivery.last_error


def test_a_refused_recipient_is_retried_and_shown_to_the_administrator(smtp_server, anna):
    smtp_server.handler.refused.add("anna@example.org")
    delivery = queue_hello(anna)
    assert services.send_delivery(delivery.pk) == Delivery.Status.QUEUED
    delivery.refresh_from_db()
    assert "No such mailbox" in delivery.last_error
    assert "No such mailbox" in mail_status()


def test_retries_wait_longer_each_time_up_to_an_hour_and_stop_after_three_days(
    settings, anna, caplog
):
    assert [services.retry_delay(n) for n in (1, 2, 3, 4, 7, 8, 20)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 60, 60, 60)
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    delivery = queue_hello(anna)
    later = timezone.now() + timedelta(days=1)
    assert services.send_delivery(delivery.pk, now=later) == Delivery.Status.QUEUED
    with caplog.at_level(logging.ERROR, logger="kollega.mail"):
        final = services.send_delivery(delivery.pk, now=later + timedelta(days=2))
    assert final == Delivery.Status.FAILED
    assert "given up after 2 attempts" in caplog.text
    assert "no more attempts" in mail_status()


def test_a_sent_delivery_is_never_sent_again(smtp_server, anna):
    delivery = queue_hello(anna)
    assert services.send_delivery(delivery.pk) == Delivery.Status.SENT
    assert services.send_delivery(delivery.pk) == Delivery.Status.SENT
    send_mail.enqueue()
    assert len(smtp_server.messages) == 1


def test_a_person_without_an_address_is_skipped_and_listed(smtp_server, anna, caplog):
    anna.user.email = ""
    anna.user.save(update_fields=["email"])
    with caplog.at_level(logging.WARNING, logger="kollega.mail"):
        delivery = queue_hello(anna)
    assert delivery.status == Delivery.Status.SKIPPED
    assert "anna" in caplog.text and "no e-mail address" in caplog.text
    send_mail.enqueue()
    assert smtp_server.messages == []
    assert "skipped anna <->" in mail_status()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_subject_is_always_one_line(smtp_server, anna):
    services.queue_mail(
        anna,
        kind="test",
        subject="Two\nlines\r\nBcc: x@example.org",
        text="x",
        html="x",
        headers={},
    )
    send_mail.enqueue()
    [message] = smtp_server.messages
    assert message["Subject"].strip() == "Two lines Bcc: x@example.org"
    assert message["Bcc"] is None


def test_finished_deliveries_are_forgotten_after_a_month_and_waiting_ones_kept(smtp_server, anna):
    sent, waiting = queue_hello(anna), queue_hello(anna)
    services.send_delivery(sent.pk)
    Delivery.objects.update(created_at=F("created_at") - timedelta(days=31))
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + timedelta(1))
    assert services.forget_old_deliveries() == 1
    assert list(Delivery.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_kollega_check_says_when_the_mail_settings_cannot_work(settings):
    from django.core.checks import run_checks

    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = True
    settings.EMAIL_HOST = "smtp.example.com"
    settings.KOLLEGA_SITE_URL = "http://127.0.0.1:8000"
    found = {message.id for message in run_checks()}
    assert {"kollega.E101", "kollega.W101"} <= found
    settings.EMAIL_USE_SSL = False
    settings.KOLLEGA_SITE_URL = "https://intranet.example.com"
    found = {message.id for message in run_checks()}
    assert not {"kollega.E101", "kollega.W101"} & found
