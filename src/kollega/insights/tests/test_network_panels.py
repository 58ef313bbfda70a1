"""The network and silo-bridging panels: contacts, follows, active people and adoption
per week and department; the department matrix and the share of ties that cross."""

import pytest
from django.db.models import Q

from kollega.insights.services import refresh_rollups
from kollega.network import services as network
from kollega.network.models import Contact, PersonFollow
from kollega.posts import services as posts
from kollega.posts.models import Comment
from kollega.qa import services as qa
from kollega.qa.models import Answer

from .scenario import at, chart, figure, org, panel, table

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["from the rows", "from the rollups"])
def counted(request):
    """Run each test twice: the panels computed from the rows themselves, and read
    from the rollups a refresh wrote (`network.rollups`) — the figures must agree."""

    def ready():
        if request.param == "from the rollups":
            refresh_rollups()

    return ready


def contact(a, b, day):
    network.connect(a, b)
    Contact.objects.filter(Q(person=a, contact=b) | Q(person=b, contact=a)).update(since=at(day))


def follow(a, b, day):
    network.follow_person(a, b)
    PersonFollow.objects.filter(follower=a, followed=b).update(since=at(day))


def test_the_network_panel_counts_contacts_follows_and_active_people_per_week(counted):
    o = org()
    sales, it = o["sales"], o["it"]
    contact(sales[0], it[0], 1)
    contact(sales[1], sales[2], 2)
    contact(sales[3], it[3], 8)
    contact(sales[4], it[4], 40)  # after the period
    follow(sales[0], it[1], 3)
    follow(it[2], sales[5], 15)
    for person, day in [(sales[0], 1), (sales[0], 2), (it[0], 1), (it[1], 9), (sales[1], 22)]:
        posts.post_on_board(person, "Hello", created_at=at(day))
    counted()
    figures = panel(o["ada"], "network")
    weekly = list(table(chart(figures, "weekly")).values())
    # contacts made, follows, active people (sales 0 twice in week one counts once)
    assert weekly == [[2, 1, 2], [1, 0, 1], [0, 1, 0], [0, 0, 1]]
    assert figure(figures, "Contacts made") == 3
    assert figure(figures, "Active people in the period") == 4
    adoption = table(chart(figures, "adoption"))
    assert adoption["Sales"] == [6, 2, round(100 * 2 / 6)]
    assert adoption["IT"] == [6, 2, round(100 * 2 / 6)]
    # Ada, the analyst, is the only one with no department: too few to show.
    assert adoption["No department"] is None


def test_a_department_filter_counts_only_its_people(counted):
    o = org()
    sales, it = o["sales"], o["it"]
    contact(sales[0], it[0], 1)
    contact(it[1], it[2], 1)
    follow(it[1], sales[0], 2)
    counted()
    figures = panel(o["ada"], "network", department=o["it_dept"])
    assert figure(figures, "Contacts made") == 2
    assert figure(figures, "Follows") == 1


def test_the_bridging_matrix_counts_ties_between_departments_and_the_share_that_crosses(
    counted,
):
    o = org()
    sales, it = o["sales"], o["it"]
    contact(sales[0], it[0], 1)  # across
    contact(sales[1], sales[2], 1)  # within Sales
    question = qa.ask_question(sales[3], "How do I reset my token?")
    answer = qa.answer_question(it[3], question, "Under settings.")  # IT answers Sales
    Answer.objects.filter(pk=answer.pk).update(created_at=at(8))
    post = posts.post_on_board(it[4], "New laptops are in")
    comment = posts.comment_on_post(sales[4], post, "Great!")  # Sales comments on IT
    Comment.objects.filter(pk=comment.pk).update(created_at=at(9))
    own = posts.comment_on_post(it[4], post, "Come and get them")  # one's own post: no tie
    Comment.objects.filter(pk=own.pk).update(created_at=at(9))
    counted()
    figures = panel(o["ada"], "bridging")
    matrix = table(chart(figures, "matrix"))
    # Rows from, columns to, in the order IT, Sales, No department (Ada alone: hidden).
    assert matrix["IT"] == [0, 1 + 1, None]  # the contact, and the answer to Sales
    assert matrix["Sales"] == [1 + 1, 1, None]  # the contact and the comment; within: 1
    assert matrix["No department"] is None
    pairs = table(chart(figures, "pairs"))
    assert pairs == {"IT → Sales": [1, 1, 0], "Sales → IT": [1, 0, 1]}
    share = list(table(chart(figures, "crossing-share")).values())
    # Week one: two contacts, one across; week two: an answer and a comment, both across.
    assert share == [[50, 2], [100, 2], [0, 0], [0, 0]]
    assert figure(figures, "Across departments") == f"{round(100 * 3 / 4)} %"


def test_the_rollups_follow_new_ties_at_the_next_refresh_and_a_rebuild_starts_over():
    o = org()
    sales, it = o["sales"], o["it"]
    contact(sales[0], it[0], 1)
    refresh_rollups()
    assert figure(panel(o["ada"], "network"), "Contacts made") == 1
    contact(sales[1], it[1], 2)  # written into a day already rolled up
    assert figure(panel(o["ada"], "network"), "Contacts made") == 1
    refresh_rollups(rebuild=True)
    assert figure(panel(o["ada"], "network"), "Contacts made") == 2


def test_a_rebuild_counts_follows_made_before_anything_else():
    o = org()
    follow(o["sales"][0], o["it"][0], 1)  # the organisation's first act is a follow
    refresh_rollups(rebuild=True)
    assert figure(panel(o["ada"], "network"), "Follows") == 1
