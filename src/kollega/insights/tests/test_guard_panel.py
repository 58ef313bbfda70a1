"""The share guard's panel: writes stopped and warnings overridden, per week and by
what was found, read from the audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kollega.audit.services import flush_pending
from kollega.insights import services
from kollega.insights.panels import panel as registered
from kollega.posts.services import post_on_board

from .scenario import chart, figure, org, table

pytestmark = pytest.mark.django_db


def test_the_guard_panel_counts_blocks_and_overrides_by_what_was_found():
    o = org()
    sales, it = o["sales"], o["it"]
    for person in (sales[0], sales[1], it[0]):
        with pytest.raises(ValidationError):
            post_on_board(person, "Wifi: password=hunter2", audience="organisation")
        flush_pending()
    post_on_board(sales[2], "Ny anställd, pnr 811218-9876", audience="board", guard_override="HR")
    today = timezone.localdate()
    selection = services.selection_for(o["ada"], today - timedelta(days=6), today)
    figures = services.panel_figures(selection, registered("guard"))
    assert figure(figures, "Writes stopped") == 3
    assert figure(figures, "Warnings overridden") == 1
    assert list(table(chart(figures, "weekly")).values()) == [[3, 1]]
    assert table(chart(figures, "kinds")) == {
        "a password, key or access token": [3, 0],
        "a Swedish personal identity number": [0, 1],
    }
    it_only = services.selection_for(
        o["ada"], today - timedelta(days=6), today, department=o["it_dept"]
    )
    assert figure(services.panel_figures(it_only, registered("guard")), "Writes stopped") == 1
