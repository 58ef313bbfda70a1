"""Month abbreviations in the reader's language: lower case in Swedish and Norwegian."""

import datetime

import pytest
from django.utils import translation

from kollega.qa import charts
from kollega.qa.services.reading import WeekFigures


@pytest.mark.parametrize("language, label", [("sv", "16 okt"), ("nb", "16 okt"), ("en", "16 Oct")])
def test_the_overview_charts_weeks_are_labelled_as_each_language_writes_a_date(language, label):
    week = WeekFigures(datetime.datetime(2026, 10, 16), 3, 2, 1, None, None)
    with translation.override(language):
        bars = charts.weekly_bars([week])["bars"]
    assert bars[-1]["label"]["text"] == label
