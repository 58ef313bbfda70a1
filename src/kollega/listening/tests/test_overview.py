"""The listening overview and the insights panels: volume per term and day, share of voice
against competitors, response time per term and owner; charts with tables and CSV."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from kollega.listening import mentions, services
from kollega.listening.models import Mention, Source, Term
from kollega.listening.readers import ItemData
from kollega.people.tests.factories import signed_in
from kollega.permissions.listening import LISTENING_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(dag):
    group, _ = Group.objects.get_or_create(name=LISTENING_GROUP)
    dag.user.groups.add(group)
    return dag


@pytest.fixture
def said(dag, eva):
    """Three mentions of ours (brand, product) and one of a competitor; one answered in 2 h."""
    Term.objects.create(phrase="kollega", kind=Term.Kind.BRAND, owner_person=eva)
    Term.objects.create(phrase="kollega app", kind=Term.Kind.PRODUCT)
    Term.objects.create(phrase="workplace", kind=Term.Kind.COMPETITOR)
    source = Source.objects.create(name="news")
    services.store_items(
        source,
        [
            ItemData(external_id="1", title="kollega rocks"),
            ItemData(external_id="2", title="the kollega app"),
            ItemData(external_id="3", title="workplace is down"),
        ],
    )
    first = Mention.objects.get(term__phrase="kollega", item__external_id="1")
    Mention.objects.filter(pk=first.pk).update(
        state="answered", closed_at=first.created_at + timedelta(hours=2)
    )


def test_the_overview_charts_volume_share_of_voice_and_response_time(listener, said):
    page = signed_in(listener).get("/listening/overview/").content.decode()

    assert "Mentions per term and day" in page and 'role="img"' in page
    assert "Share of voice" in page
    # kollega: 2 of 4 mentions (its own item and the app's title), the app 1, workplace 1.
    assert '<th scope="row">kollega (Brand)</th><td>2</td><td>50.0</td>' in page
    assert '<th scope="row">workplace (Competitor)</th><td>1</td><td>25.0</td>' in page
    assert "<dd>75.0 %</dd>" in page  # ours: brand and product
    assert '<th scope="row">kollega — Eva Ek</th><td>1</td><td>2.0</td>' in page
    assert "Open mentions, oldest first" in page and "workplace is down" in page


def test_the_listening_panels_are_on_the_insights_page_with_their_csv(listener, said):
    browser = signed_in(listener)

    page = browser.get("/insights/").content.decode()
    csv = browser.get("/insights/listening-response/response.csv").content.decode()

    assert "Listening: mentions" in page and "Listening: response times" in page
    assert csv.splitlines() == ["Term — owner,Closed,Mean hours", "kollega — Eva Ek,1,2.0"]


def test_colleagues_outside_listening_see_the_panels_withheld(carla, said):
    page = signed_in(carla).get("/insights/").content.decode()

    assert "For the listening team and the owners of watch terms." in page
    assert "kollega rocks" not in page
    assert signed_in(carla).get("/listening/overview/").status_code == 403


def test_response_times_per_term_name_the_owner(listener, said):
    rows = mentions.response_times(listener)

    assert [(r["term"], r["owner"], r["closed"]) for r in rows] == [("kollega", "Eva Ek", 1)]
    assert rows[0]["mean"] == timedelta(hours=2)


def test_svg_numbers_are_never_localised(listener, said):
    page = signed_in(listener).get("/listening/overview/", HTTP_ACCEPT_LANGUAGE="sv")
    html = page.content.decode()
    svgs = [part.split("</svg>", 1)[0] for part in html.split("<svg role=")[1:]]

    assert "Andel av rösterna" in html and "Share of voice" not in html
    assert svgs and not any(re.search(r'="\d+,\d+"', svg) for svg in svgs)
    assert any(re.search(r'="\d+\.\d+"', svg) for svg in svgs)
