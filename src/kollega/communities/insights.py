"""The communities panel of the insights dashboard: members, posts, answers and active
members per week, and which communities are rising or sinking, with the figures
behind each label.

Only communities the viewer may read are named (`readable_communities_filter`); a
community with fewer than five members is listed as too small to show.
"""

from collections import defaultdict

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.communities.models import Community, Membership
from kollega.insights.panels import Chart, Figure, Panel, PanelFigures, Row, Selection, register
from kollega.permissions.communities import readable_communities_filter
from kollega.permissions.insights import MIN_PEOPLE, owned_communities
from kollega.posts.models import Comment, Post
from kollega.qa.models import Answer

LISTED = 20  # communities in the "most active" table
CHANGE = 0.5  # rising: half as much again in the later half of the period; sinking: half
CHANGE_MIN = 3  # … and by at least this many posts, comments and answers


def trend(earlier: int, later: int) -> str:
    """ "rising", "sinking" or "steady": the later half of the period against the earlier."""
    if later - earlier >= CHANGE_MIN and later >= earlier * (1 + CHANGE):
        return "rising"
    if earlier - later >= CHANGE_MIN and later <= earlier * (1 - CHANGE):
        return "sinking"
    return "steady"


def _communities(selection: Selection):
    if selection.community is not None:
        return Community.objects.filter(pk=selection.community.pk)
    if selection.scope.is_own:
        return owned_communities(selection.viewer)
    return Community.objects.filter(readable_communities_filter(selection.viewer))


def _activity(selection: Selection, ids):
    """(community id, when, author id, kind) of each post, comment and answer in the period
    in the communities `ids`, by the selected people."""
    sources = [
        ("post", Post.objects.filter(community__in=ids), "community_id"),
        ("comment", Comment.objects.filter(post__community__in=ids), "post__community_id"),
        (
            "answer",
            Answer.objects.filter(question__post__community__in=ids),
            "question__post__community_id",
        ),
    ]
    for kind, rows, community in sources:
        rows = rows.filter(selection.in_period("created_at")).filter(selection.of_people("author"))
        for community_id, when, author in rows.order_by().values_list(
            community, "created_at", "author_id"
        ):
            yield community_id, when, author, kind


def communities(selection: Selection) -> PanelFigures:
    """Members and activity of the communities the viewer may see the figures of."""
    chosen = _communities(selection)
    names = dict(chosen.order_by("name").values_list("pk", "name"))
    if not names:
        return PanelFigures(
            withheld=_("Figures of communities are shown to their owners and to analysts.")
        )
    ids = chosen.values("pk")
    members = dict(
        Membership.objects.filter(community__in=ids)
        .order_by()
        .values_list("community_id")
        .annotate(n=Count("pk"))
    )
    joined = dict(
        Membership.objects.filter(community__in=ids)
        .filter(selection.in_period("joined_at"))
        .order_by()
        .values_list("community_id")
        .annotate(n=Count("pk"))
    )
    shown = {c for c in names if members.get(c, 0) >= MIN_PEOPLE}
    weeks = selection.weeks()
    half = selection.start + (selection.end - selection.start) / 2
    counts = defaultdict(lambda: {"post": 0, "comment": 0, "answer": 0})
    halves = defaultdict(lambda: [0, 0])
    active = defaultdict(set)
    weekly = [{"post": 0, "comment": 0, "answer": 0, "people": set()} for _w in weeks]
    for community_id, when, author, kind in _activity(selection, ids):
        if community_id not in shown:
            continue
        counts[community_id][kind] += 1
        halves[community_id][when >= half] += 1
        active[community_id].add(author)
        week = weekly[selection.week_of(when)]
        week[kind] += 1
        week["people"].add(author)
    busiest = sorted(names, key=lambda c: (-sum(counts[c].values()), names[c]))[:LISTED]
    table = Chart(
        "communities",
        _("Most active communities"),
        _("Members, new members, posts, answers and active members in the period."),
        _("Community"),
        [_("Members"), _("New members"), _("Posts"), _("Answers"), _("Active members")],
        [
            Row(names[c], hidden=True)
            if c not in shown
            else Row(
                names[c],
                [
                    members.get(c, 0),
                    joined.get(c, 0),
                    counts[c]["post"],
                    counts[c]["answer"],
                    len(active[c]),
                ],
            )
            for c in busiest
        ],
    )
    labels = {"rising": _("rising"), "sinking": _("sinking")}
    moving = [(c, trend(*halves[c])) for c in sorted(shown, key=lambda c: names[c])]
    trends = Chart(
        "trends",
        _("Rising and sinking"),
        _(
            "Posts, comments and answers in the earlier and the later half of the period: "
            "rising when the later half has half as much again (and at least three more), "
            "sinking when it has half as much or less (and at least three fewer)."
        ),
        _("Community"),
        [_("Earlier half"), _("Later half")],
        [
            Row(f"{names[c]} — {labels[label]}", list(halves[c]))
            for c, label in moving
            if label != "steady"
        ],
    )
    per_week = Chart(
        "weekly",
        _("Community activity per week"),
        _("Posts, answers and active members in these communities each week."),
        _("Week from"),
        [_("Posts"), _("Answers"), _("Active members")],
        [
            Row(
                formats.date_format(start, "SHORT_DATE_FORMAT"),
                [weekly[i]["post"], weekly[i]["answer"], len(weekly[i]["people"])],
            )
            for i, start in enumerate(weeks)
        ],
    )
    figures = [
        Figure(_("Communities"), len(names)),
        Figure(_("Rising"), sum(1 for _c, label in moving if label == "rising")),
        Figure(_("Sinking"), sum(1 for _c, label in moving if label == "sinking")),
    ]
    return PanelFigures(figures=figures, charts=[per_week, table, trends])


register(
    Panel(
        "communities",
        gettext_lazy("Communities"),
        communities,
        gettext_lazy("Members and activity; which communities are rising and which sinking."),
        order=40,
    )
)
