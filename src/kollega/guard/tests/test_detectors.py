"""The share guard's detectors: checksums, separators, look-alikes, URLs and digit runs."""

import pytest

from kollega.guard import detectors as d


def found(text: str, names=()) -> list[tuple[str, str]]:
    """(kind, the original text found) for every finding in `text`."""
    normal = d.normalise(text)
    findings = [f for detector in d.DETECTORS for f in detector(normal)]
    findings += list(d.code_names(normal, names))
    return sorted((f.kind, text[f.start : f.end]) for f in findings)


@pytest.mark.parametrize(
    "number",
    ["811218-9876", "8112189876", "19811218-9876", "198112189876", "811218+9876", "811218 9876"],
)
def test_a_swedish_personnummer_in_its_usual_forms_is_found(number):
    assert found(f"Mitt personnummer är {number}.") == [(d.PERSONNUMMER, number)]


def test_a_samordningsnummer_adds_sixty_to_the_day():
    # 701063-2391: born 3 October 1970 (63 - 60), valid Luhn.
    assert found("samordningsnummer 701063-2391") == [(d.PERSONNUMMER, "701063-2391")]


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "811318-9875",  # valid Luhn but month 13
        "order 1811218-9876 shipped",  # inside a longer run of digits
        "ref 12 811218-9876",  # a digit group before it: part of a longer number
        "811218-98760",
    ],
)
def test_numbers_that_are_no_personnummer_are_left_alone(text):
    assert [k for k, _ in found(text) if k == d.PERSONNUMMER] == []


def test_look_alike_digits_are_found_with_offsets_in_the_original_text():
    text = "pnr ８１１２１８－９８７６ ok"
    assert found(text) == [(d.PERSONNUMMER, "８１１２１８－９８７６")]


@pytest.mark.parametrize("number", ["01010750160", "010107 50160", "41010710012"])
def test_a_norwegian_fodselsnummer_or_d_number_is_found(number):
    assert found(f"fødselsnummer {number}") == [(d.FODSELSNUMMER, number)]


@pytest.mark.parametrize("number", ["01010750161", "01130750165", "010107501601"])
def test_an_eleven_digit_number_with_wrong_check_digits_is_no_fodselsnummer(number):
    assert [k for k, _ in found(number) if k == d.FODSELSNUMMER] == []


@pytest.mark.parametrize(
    "number",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5555555555554444",
        "2223003122003222",
        "378282246310005",
        "3782 822463 10005",
        "6011111111111117",
    ],
)
def test_a_card_number_is_found_with_spaces_or_dashes(number):
    assert found(f"card {number} exp") == [(d.CARD, number)]


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # Luhn fails
        "1234 5678 9012 3452",  # Luhn passes (…3452) but no issuer starts with 1
        "tracking 94111111111111111",  # a card inside a longer run
        "4111 1111 1111 1111 2222",  # more groups follow: not a card
    ],
)
def test_digit_runs_that_are_no_card_number_are_left_alone(text):
    assert [k for k, _ in found(text) if k == d.CARD] == []


def test_a_card_number_inside_a_url_still_leaks_and_is_found():
    text = "see https://shop.example/pay?card=4111111111111111&cvc=123"
    assert found(text) == [(d.CARD, "4111111111111111")]


def test_a_long_id_inside_a_url_path_is_not_a_card():
    assert found("https://example.com/items/41111111111111110000/edit") == []


@pytest.mark.parametrize(
    "iban",
    [
        "SE45 5000 0000 0583 9825 7466",
        "SE4550000000058398257466",
        "NO9386011117947",
        "GB82WEST12345698765432",
    ],
)
def test_an_iban_is_found(iban):
    assert found(f"Pay to {iban} please") == [(d.IBAN, iban)]


def test_an_iban_with_a_wrong_checksum_is_left_alone():
    assert found("SE45 5000 0000 0583 9825 7467 and NO9386011117948") == []


@pytest.mark.parametrize(
    "secret",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_" + "a1B2c3D4" * 5,
        "github_pat_11ABCDEFG0123456789_abcdefghij",
        "xoxb-123456789012-abcdefABCDEF",
        "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
        "kol_" + "Zx9_-abcDEF0123456789xyzXYZ012345",
        "password=hunter2",
        "passwd: Tr0ub4dor&3",
        'api_key = "sk-live-12345678"',
        "secret=s3cr3tValue",
    ],
)
def test_a_secret_is_found(secret):
    assert found(f"here: {secret} ok") == [(d.SECRET, secret)]


def test_a_private_key_block_is_found_whole():
    block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
    assert found(f"key:\n{block}\n") == [(d.SECRET, block)]


@pytest.mark.parametrize(
    "text",
    [
        "password=***",
        "password: <your password>",
        "api_key=${API_KEY}",
        "Forgot your password? Reset it on the security page.",
        "password=abc",
        "AKIA in a sentence",
    ],
)
def test_placeholders_and_talk_about_passwords_are_no_secret(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("CONFIDENTIAL: q3 numbers", d.LABEL, "CONFIDENTIAL"),
        ("Detta är Konfidentiellt.", d.LABEL, "Konfidentiellt"),
        ("SEKRETESS enligt OSL", d.LABEL, "SEKRETESS"),
        ("Dokumentet er KONFIDENSIELT", d.LABEL, "KONFIDENSIELT"),
        ("internal only, please", d.LABEL, "internal only"),
        ("STRICTLY  CONFIDENTIAL board memo", d.STRICT_LABEL, "STRICTLY  CONFIDENTIAL"),
        ("Strengt fortrolig!", d.STRICT_LABEL, "Strengt fortrolig"),
    ],
)
def test_confidentiality_labels_in_three_languages(text, kind, label):
    assert found(text) == [(kind, label)]


def test_labels_are_whole_words_only():
    assert found("confidentiality matters; hemligheter; unconfidential") == []


def test_code_names_are_whole_words_case_insensitive():
    assert found("Project bluebird ships soon, not bluebirds", ["Bluebird", " "]) == [
        (d.CODE_NAME, "bluebird")
    ]


def test_a_text_in_three_languages_with_findings_in_each():
    text = (
        "Hej! Mitt personnummer är 811218-9876. "
        "Hei, fødselsnummeret mitt er 01010750160, og dette er STRENGT FORTROLIG. "
        "Hi, card 5555 5555 5555 4444 and IBAN NO93 8601 1117 947."
    )
    assert found(text) == sorted(
        [
            (d.PERSONNUMMER, "811218-9876"),
            (d.FODSELSNUMMER, "01010750160"),
            (d.STRICT_LABEL, "STRENGT FORTROLIG"),
            (d.CARD, "5555 5555 5555 4444"),
            (d.IBAN, "NO93 8601 1117 947"),
        ]
    )


def test_a_very_long_text_is_checked_whole_and_quickly():
    filler = "Vi ses på fikat klockan tre, ta med kanelbullar. " * 2000
    text = filler + "password=hunter22" + " 1234567890" * 500 + ". Card: 4111111111111111"
    kinds = [k for k, _ in found(text)]
    assert kinds.count(d.SECRET) == 1 and kinds.count(d.CARD) == 1
