"""The communities panel: members, posts, answers and active members; rising and
sinking with the figures behind each label; only communities the viewer may read."""

import pytest

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.posts.models import Post

from .scenario import at, chart, figure, org, panel, table

pytestmark = pytest.mark.django_db


def community(owner, name, members, kind=Community.Kind.OPEN):
    made = communities.create_community(owner, name, kind=kind)
    for person in members:
        if kind == Community.Kind.RESTRICTED:
            invitation = communities.invite_to_community(owner, made, person)
            communities.accept_community_invitation(person, invitation)
        else:
            communities.join_community(person, made)
    return made


def posts(community, authors_and_days):
    for author, day in authors_and_days:
        post = communities.post_in_community(author, community, "Something to share")
        Post.objects.filter(pk=post.pk).update(created_at=at(day))


def test_communities_rise_and_sink_with_the_figures_behind_the_label():
    o = org()
    sales, it = o["sales"], o["it"]
    growing = community(sales[0], "Growing", sales[1:])
    quiet = community(it[0], "Quiet", it[1:])
    tiny = community(sales[0], "Tiny", it[:2])
    posts(growing, [(sales[1], 1)] + [(sales[i], 20) for i in range(1, 6)])
    posts(quiet, [(it[i % 6], 2) for i in range(6)] + [(it[1], 22)])
    posts(tiny, [(it[0], 3)])
    figures = panel(o["ada"], "communities")
    listed = table(chart(figures, "communities"))
    # members, new members (all joined today, after the period), posts, answers, active
    assert listed["Growing"] == [6, 0, 6, 0, 5]
    assert listed["Quiet"] == [6, 0, 7, 0, 6]
    assert listed["Tiny"] is None  # three members: too few to show
    trends = table(chart(figures, "trends"))
    assert trends == {"Growing — rising": [1, 5], "Quiet — sinking": [6, 1]}
    assert figure(figures, "Rising") == 1
    weekly = list(table(chart(figures, "weekly")).values())
    # Tiny's post is left out with its figures.
    assert weekly == [[1 + 6, 0, 1 + 6], [0, 0, 0], [5, 0, 5], [1, 0, 1]]


def test_a_restricted_community_is_never_named_to_an_analyst_outside_it():
    o = org()
    sales = o["sales"]
    secret = community(sales[0], "Reorganisation", sales[1:], kind=Community.Kind.RESTRICTED)
    posts(secret, [(sales[1], 1)])
    figures = panel(o["ada"], "communities")
    assert figures.withheld  # Ada may read no community at all
    member_view = panel(sales[0], "communities")  # the owner sees their own
    assert "Reorganisation" in table(chart(member_view, "communities"))
