"""The guard's verdicts: what is blocked, what is warned about, for which audience."""

import logging

import pytest
from django.core.exceptions import ValidationError

from kollega.guard import detectors, services
from kollega.guard.services import BLOCK, OK, WARN, check_text, screen

NARROW = ["network", "board", "community", "people"]
WIDE = ["organisation", "public"]


@pytest.mark.parametrize(
    ("text", "wide", "narrow"),
    [
        ("Lunch at noon in the big room.", OK, OK),
        ("password=hunter2", BLOCK, BLOCK),
        ("card 4111 1111 1111 1111", BLOCK, BLOCK),
        ("personnummer 811218-9876", BLOCK, WARN),
        ("fødselsnummer 01010750160", BLOCK, WARN),
        ("IBAN SE45 5000 0000 0583 9825 7466", BLOCK, WARN),
        ("STRICTLY CONFIDENTIAL: the plan", BLOCK, WARN),
        ("STRENGT FORTROLIG", BLOCK, WARN),
        ("CONFIDENTIAL draft", WARN, WARN),
        ("KONFIDENTIELL", WARN, WARN),
    ],
)
def test_the_policy_table(text, wide, narrow):
    for audience in WIDE:
        assert check_text(text, audience).verdict == wide, (text, audience)
    for audience in NARROW:
        assert check_text(text, audience).verdict == narrow, (text, audience)


def test_the_issue_example_is_blocked_for_the_organisation_with_every_finding():
    text = "CONFIDENTIAL, personnummer 811218-9876, card 4111 1111 1111 1111, password=hunter2"
    verdict = check_text(text, "organisation")
    assert verdict.verdict == BLOCK
    assert [f.kind for f in verdict.findings] == [
        detectors.LABEL,
        detectors.PERSONNUMMER,
        detectors.CARD,
        detectors.SECRET,
    ]


def test_code_names_come_from_the_setting(settings):
    settings.KOLLEGA_GUARD_CODE_NAMES = ["Bluebird"]
    assert check_text("Bluebird ships in May", "organisation").verdict == BLOCK
    assert check_text("Bluebird ships in May", "network").verdict == WARN
    settings.KOLLEGA_GUARD_CODE_NAMES = []
    assert check_text("Bluebird ships in May", "organisation").verdict == OK


def test_a_block_names_what_was_found_but_never_repeats_it(anna):
    with pytest.raises(ValidationError) as caught:
        screen(anna, "log in with password=hunter2", "network", "I know")
    message = " ".join(caught.value.messages)
    assert caught.value.code == "guard_block"
    assert "password, key or access token" in message and "hunter2" not in message


def test_a_warning_stops_without_a_reason_and_goes_on_with_one(anna, caplog):
    with pytest.raises(ValidationError) as caught:
        screen(anna, "personnummer 811218-9876", "network")
    assert caught.value.code == "guard_warn"
    assert "811218" not in " ".join(caught.value.messages)
    with caplog.at_level(logging.INFO, logger="kollega.guard"):
        verdict = screen(anna, "personnummer 811218-9876", "network", "  HR needs it  ")
    assert verdict.verdict == WARN
    assert "HR needs it" in caplog.text and "811218" not in caplog.text


def test_a_detector_that_fails_is_logged_and_warns_never_crashes(monkeypatch, caplog):
    def broken(text):
        raise RuntimeError("boom")
        yield

    monkeypatch.setattr(detectors, "DETECTORS", [broken, *detectors.DETECTORS])
    with caplog.at_level(logging.ERROR, logger="kollega.guard"):
        verdict = check_text("an ordinary sentence", "organisation")
    assert verdict.verdict == WARN
    assert [f.kind for f in verdict.findings] == [services.ERROR]
    assert "boom" in caplog.text
    # What the healthy detectors find still counts.
    assert check_text("password=hunter2", "network").verdict == BLOCK
