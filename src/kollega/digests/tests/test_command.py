"""`kollega digest send` as the operator runs it: a dry run, bad input, who has no address."""

import pytest
from django.core.management import CommandError, call_command

from kollega.mail.models import Delivery
from kollega.qa.services import ask_question, send_question

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("digest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def waiting(anna, bjorn):
    send_question(anna, ask_question(anna, "Saison yeast?"), [bjorn])


def test_a_dry_run_says_who_would_get_what_and_sends_nothing(waiting, settings):
    out = run("send", "--period", "daily", "--dry-run")

    assert "bjorn <bjorn@example.org>: 1 items (questions 1)" in out
    assert "anna <anna@example.org>: nothing to say, not sent" in out
    assert "would send 1" in out
    assert not Delivery.objects.exists()


def test_one_persons_digest(waiting):
    out = run("send", "--period", "daily", "--person", "bjorn")

    assert "sent 1" in out
    assert list(Delivery.objects.values_list("recipient__user__username", flat=True)) == ["bjorn"]


def test_asking_for_a_period_the_person_did_not_choose_says_so(waiting):
    out = run("send", "--period", "weekly", "--person", "bjorn", "--dry-run")

    assert "bjorn chose daily digests, not weekly: none made." in out


def test_an_unknown_person_is_a_clear_error(waiting):
    with pytest.raises(CommandError, match="No active person with the username 'nobody'"):
        run("send", "--period", "daily", "--person", "nobody")
    assert not Delivery.objects.exists()


def test_an_unknown_period_is_a_clear_error(waiting):
    with pytest.raises(CommandError, match="invalid choice: 'monthly'"):
        run("send", "--period", "monthly")


def test_people_without_an_address_are_listed(waiting, bjorn):
    bjorn.user.email = ""
    bjorn.user.save(update_fields=["email"])

    out = run("send", "--period", "daily")

    assert "Without a usable e-mail address (skipped):\n  bjorn\n" in out
