"""Search results read in the reader's language, whatever language the index was written in."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from kollega.communities.services import create_community
from kollega.people.tests.factories import signed_in
from kollega.qa.models import Question
from kollega.qa.tests.factories import ask
from kollega.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def hit(html: str, title: str) -> str:
    return re.search(rf'<li class="hit card">(?:(?!</li>).)*{title}.*?</li>', html, re.S)[0]


@pytest.mark.parametrize(
    "language, state, kind",
    [
        ("sv", "Öppen", "Öppen: alla kan gå med"),
        ("nb", "Åpen", "Åpent: alle kan bli med"),
        ("en", "Open", "Open: anyone can join"),
    ],
)
def test_a_questions_state_and_a_communitys_kind_are_shown_in_the_readers_language(
    anna, bjorn, language, state, kind
):
    # Written by someone reading English: the index must not keep their language.
    with translation.override("en"):
        ask(bjorn, "Which sake goes with cheese?", tags=["sake"])
        create_community(bjorn, "Sake lovers")
    html = (
        signed_in(anna).get("/search/", {"q": "sake"}, HTTP_ACCEPT_LANGUAGE=language).content
    ).decode()
    assert f'<div class="meta">{state}</div>' in hit(html, "Which <mark>sake</mark>")
    assert f'<div class="meta">{kind}</div>' in hit(html, "<mark>Sake</mark> lovers")


def test_a_state_indexed_as_an_english_label_is_still_shown_in_swedish(anna, bjorn):
    question = ask(bjorn, "Which sake goes with cheese?", tags=["sake"])
    # As documents indexed before the choice itself was stored read.
    SearchDocument.objects.filter(kind="question", object_id=question.pk).update(context="Open")
    html = signed_in(anna).get("/search/", {"q": "sake"}, HTTP_ACCEPT_LANGUAGE="sv").content
    assert '<div class="meta">Öppen</div>' in html.decode()


@pytest.mark.parametrize("language, shown", [("sv", "16 okt 2026"), ("nb", "16 okt 2026")])
def test_month_abbreviations_are_lower_case_in_swedish_and_norwegian(anna, bjorn, language, shown):
    question = ask(bjorn, "Which sake goes with cheese?", tags=["sake"])
    when = timezone.make_aware(datetime.datetime(2026, 10, 16, 12, 0))
    Question.objects.filter(pk=question.pk).update(asked_at=when)
    SearchDocument.objects.filter(kind="question", object_id=question.pk).update(created_at=when)
    html = signed_in(anna).get("/search/", {"q": "sake"}, HTTP_ACCEPT_LANGUAGE=language).content
    assert f">{shown}</time>" in html.decode()
    english = signed_in(anna).get("/search/", {"q": "sake"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert ">16 Oct 2026</time>" in english.decode()
