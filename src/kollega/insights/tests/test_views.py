"""The insights page: who sees which figures, the filters and their empty states, the
charts in every language, and each chart's CSV matching the table beside it."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group

from kollega.communities import services as communities
from kollega.insights.panels import registered
from kollega.people.tests.factories import make_department, make_person, signed_in
from kollega.permissions.insights import ANALYTICS_GROUP
from kollega.qa import services as qa
from kollega.qa.models import Question

from .scenario import END, START, at, org

pytestmark = pytest.mark.django_db

PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def page(person, language="en", **params):
    response = signed_in(person).get(
        "/insights/", {**PERIOD, **params}, HTTP_ACCEPT_LANGUAGE=language
    )
    return response.status_code, response.content.decode()


def ask(person, title, day):
    question = qa.ask_question(person, title)
    Question.objects.filter(pk=question.pk).update(asked_at=at(day))
    return question


def headline(html, label) -> str:
    return re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", html).group(1)


def test_everyone_sees_their_own_figures_and_no_one_elses():
    o = org()
    me, colleague = o["sales"][0], o["sales"][1]
    ask(me, "Mine", 1)
    ask(colleague, "Theirs", 2)
    ask(colleague, "Theirs too", 3)
    status, html = page(me)
    assert status == 200
    assert "Your own figures." in html
    assert headline(html, "Questions asked") == "1"
    # No department filter for them, and one asked for is not obeyed.
    assert 'name="department"' not in html
    status, html = page(me, department=o["it_dept"].pk)
    assert headline(html, "Questions asked") == "1"


@pytest.mark.parametrize("grant", ["staff", "analytics"])
def test_the_administrator_and_analysts_see_the_whole_organisation(grant):
    o = org()
    viewer = make_person("Vera Viewer", "vera")
    if grant == "staff":
        viewer.user.is_staff = True
        viewer.user.save(update_fields=["is_staff"])
    else:
        viewer.user.groups.add(Group.objects.get_or_create(name=ANALYTICS_GROUP)[0])
    for i, person in enumerate(o["sales"][:3]):
        ask(person, f"Question {i}", i)
    status, html = page(viewer)
    assert "Figures of the whole organisation." in html
    assert headline(html, "Questions asked") == "3"
    status, html = page(viewer, department=o["it_dept"].pk)
    assert "Figures of IT and the departments below it." in html
    assert headline(html, "Questions asked") == "0"


def test_community_owners_see_their_communities_and_others_cannot_ask_for_them():
    o = org()
    owner, members = o["sales"][0], o["sales"][1:]
    club = communities.create_community(owner, "Book club")
    for person in members:
        communities.join_community(person, club)
    status, html = page(owner, community=club.pk)
    assert "Figures of the community Book club." in html
    assert "Too few people to show." not in html
    # A member who owns nothing is shown their own figures, never the community's.
    status, html = page(members[0], community=club.pk)
    assert "Book club" not in html
    assert "Your own figures." in html
    # An owner of another community may not choose this one.
    other = communities.create_community(o["it"][0], "Chess")
    status, html = page(o["it"][0], community=club.pk)
    assert "Select a valid choice" in html
    assert "Book club" not in html and "<h2" not in html
    assert f'<option value="{other.pk}">Chess</option>' in html


def test_figures_about_fewer_than_five_people_are_not_shown():
    o = org()
    lonely = make_department("Archive")
    make_person("Solo Archivist", "solo", department=lonely)
    status, html = page(o["ada"], department=lonely.pk)
    assert html.count("Too few people to show.") == len(registered())  # every panel
    assert "<svg" not in html


def test_periods_in_the_future_empty_or_backwards_say_so_clearly():
    o = org()
    status, html = page(o["ada"], start="2099-01-01", end="2099-02-01")
    assert status == 200 and "This period has not begun yet" in html
    status, html = page(o["ada"], start="2020-01-01", end="2020-01-31")
    assert status == 200 and "Nothing happened in this period." in html
    assert 'id="chart-questions' not in html
    assert "Active people in the period</dt><dd>0<" in html
    status, html = page(o["ada"], start="2020-02-01", end="2020-01-01")
    assert status == 200 and "The period ends before it starts." in html
    status, html = page(o["ada"], start="2018-01-01", end="2020-12-31")
    assert "Choose a period of two years at most." in html


def rows_of(html, chart_id) -> list[list[str]]:
    figure = html[html.index(f'id="{chart_id}"') :]
    body = figure[figure.index("<tbody>") : figure.index("</tbody>")]
    cells = r"<t[hd][^>]*>([^<]*)</t[hd]>"
    return [re.findall(cells, row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_each_charts_csv_holds_the_rows_and_values_of_its_table():
    o = org()
    for i, person in enumerate(o["sales"] + o["it"]):
        question = ask(person, f"Question {i}", i)
        if i % 3:
            qa.answer_question(o["it"][0] if person != o["it"][0] else o["it"][1], question, "Yes")
    status, html = page(o["ada"])
    for chart_id, url in [
        ("chart-questions-weekly", "/insights/questions/weekly.csv"),
        ("chart-network-adoption", "/insights/network/adoption.csv"),
    ]:
        response = signed_in(o["ada"]).get(url, PERIOD)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
        table = rows_of(html, chart_id)
        assert rows and [r[0] for r in rows] == [r[0] for r in table]
        for csv_row, table_row in zip(rows, table, strict=True):
            if table_row[1] == "too few people to show":
                assert set(csv_row[1:]) == {"too few people to show"}
            else:
                assert csv_row[1:] == [v.replace("—", "") for v in table_row[1:]]
    weekly = rows_of(html, "chart-questions-weekly")
    assert sum(int(r[1]) for r in weekly) == 12


def test_a_chart_one_may_not_see_has_no_csv():
    o = org()
    response = signed_in(o["sales"][0]).get("/insights/questions/no-such-chart.csv", PERIOD)
    assert response.status_code == 404


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_the_bars_are_drawn_with_plain_numbers_in_swedish_and_norwegian(language):
    o = org()
    for i, person in enumerate(o["sales"]):
        ask(person, f"Fråga {i}", i * 3)
    status, html = page(o["ada"], language)
    assert status == 200
    widths = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', html)
    assert widths
    for values in widths:
        assert all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v) for v in values), values
    assert any(float(w) > 0 and float(h) > 0 for _x, _y, w, h in widths)
