"""The insights dashboard in Swedish: the bars are drawn (a decimal comma in an SVG
coordinate makes the browser drop the bar), and the filters work from the keyboard."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from kollega.people.tests.factories import make_department, make_person, signed_in
from kollega.permissions.insights import ANALYTICS_GROUP
from kollega.qa import services as qa
from kollega.qa.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drawn(svg) -> list[tuple[float, float]]:
    """The width and height the browser drew each bar of `svg` with."""
    return svg.locator("rect").evaluate_all(
        "rects => rects.map(r => { const b = r.getBBox(); return [b.width, b.height]; })"
    )


def test_the_dashboard_draws_its_bars_in_swedish(browser, live_server):
    sales = make_department("Försäljning")
    askers = [make_person(f"Säljare {i}", f"saljare{i}", department=sales) for i in range(6)]
    now = timezone.now()
    for i, person in enumerate(askers):
        question = qa.ask_question(person, f"Fråga nummer {i}?")
        Question.objects.filter(pk=question.pk).update(asked_at=now - timedelta(days=3 * i + 1))
    analyst = make_person("Ada Analytiker", "ada")
    analyst.user.groups.add(Group.objects.get_or_create(name=ANALYTICS_GROUP)[0])
    session = signed_in(analyst).cookies[settings.SESSION_COOKIE_NAME].value

    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    try:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/insights/")
        expect(page.get_by_role("heading", name="Insikter", exact=True)).to_be_visible()
        chart = page.locator("#chart-questions-weekly svg[role=img]")
        expect(chart).to_be_visible()
        sizes = drawn(chart)
        assert sizes and all(h > 0 for _w, h in sizes)
        assert sum(1 for w, _h in sizes if w > 0) >= 2  # asked and answered bars with width
        # The filters answer the keyboard: a department chosen and shown with Enter.
        page.get_by_role("combobox", name="Avdelning").select_option(label="Försäljning")
        page.get_by_role("button", name="Visa").focus()
        page.keyboard.press("Enter")
        scope = page.get_by_text("Siffror för Försäljning och avdelningarna under den.")
        expect(scope).to_be_visible()
        assert any(w > 0 and h > 0 for w, h in drawn(chart))
    finally:
        context.close()
