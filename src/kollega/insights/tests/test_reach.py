"""A leader's reach: the reach panel counting who saw, recommended and commented on
one's posts, per week and department."""

import pytest

from kollega.insights.models import Impression
from kollega.people.tests.factories import signed_in
from kollega.posts import services as posts
from kollega.posts.models import Comment, Recommendation

from .scenario import END, START, at, chart, figure, org, panel, table

pytestmark = pytest.mark.django_db


def seen(person, post, day):
    Impression.objects.create(person=person, post=post, day=at(day).date())


def test_the_reach_panel_counts_colleagues_who_saw_recommended_and_commented():
    o = org()
    sales, it = o["sales"], o["it"]
    leader = sales[0]
    post = posts.post_on_board(leader, "Our plans for spring")
    for person in it[:5]:
        seen(person, post, 1)
    seen(it[0], post, 2)  # the same colleague another day: still one colleague that week
    seen(sales[1], post, 9)
    seen(it[5], post, 40)  # after the period
    posts.recommend_post(it[1], post)
    Recommendation.objects.filter(person=it[1]).update(created_at=at(2))
    comment = posts.comment_on_post(sales[2], post, "Looking forward")
    Comment.objects.filter(pk=comment.pk).update(created_at=at(10))
    mine = posts.comment_on_post(leader, post, "Thanks!")  # one's own comment: not reach
    Comment.objects.filter(pk=mine.pk).update(created_at=at(10))
    figures = panel(leader, "reach")
    assert figure(figures, "Colleagues who saw your posts") == 5 + 1
    assert figure(figures, "Recommended them") == 1
    assert figure(figures, "Commented") == 1
    weekly = list(table(chart(figures, "weekly")).values())
    assert weekly == [[5, 1, 0], [1, 0, 1], [0, 0, 0], [0, 0, 0]]
    departments = table(chart(figures, "by-department"))
    assert departments["IT"] == [5, 1, 0]
    assert departments["Sales"] == [1, 0, 1]


def test_a_leader_with_no_posts_is_told_so():
    o = org()
    figures = panel(o["sales"][0], "reach")
    assert "not posted anything yet" in figures.withheld
    response = signed_in(o["sales"][0]).get(
        "/insights/", {"start": START.isoformat(), "end": END.isoformat()}
    )
    assert "You have not posted anything yet" in response.content.decode()
