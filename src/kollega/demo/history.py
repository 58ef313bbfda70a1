"""Dating the organisation's history: when people joined, made contacts, followed,
and when communities began and gained members.

The conversations keep their own dates (moved so the newest is from just now, see
`content._shift`). Everything else the build writes would otherwise be stamped with
the minute the demo was built, and every "this week" figure (contacts made, members
joined, communities rising) would show the whole organisation arriving at once. Here
each such row gets a moment in the period the conversations span, before the
activity it must precede: a person joins before their first post, a community begins
before its first post, a member joins before posting in it.
"""

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Min

from kollega.communities.models import Community, CommunityFollow, Membership, MembershipEvent
from kollega.demo.state import DemoState
from kollega.network.models import Contact, PersonFollow, TagFollow
from kollega.people.models import Person, PersonTag
from kollega.posts.models import Comment, Post

BATCH = 1000
# Someone who joined before the first conversation joined at most this long before it.
LEAD_IN = timedelta(days=90)
# New structural rows are not placed in the last hours, where the newest posts are.
QUIET_END = timedelta(hours=2)


def date_the_history(state: DemoState) -> None:
    """Give joins, contacts, follows, tags on people and communities their moments."""
    rng = state.rng("history")
    end = state.now - QUIET_END
    first = Post.objects.aggregate(first=Min("created_at"))["first"] or end
    start = min(first, end) - LEAD_IN
    joined = _date_people(rng, start, end)
    _date_contacts(rng, joined, end)
    _date_follows(rng, joined, end)
    _date_communities(rng, joined, start, end)


def _between(rng: random.Random, low: datetime, high: datetime) -> datetime:
    """A moment in [low, high]; `low` when the span is empty."""
    if high <= low:
        return low
    return low + timedelta(seconds=rng.uniform(0, (high - low).total_seconds()))


def _first_activity(rows: Iterable[tuple[int, datetime]]) -> dict[int, datetime]:
    first: dict[int, datetime] = {}
    for key, when in rows:
        if when is not None and (key not in first or when < first[key]):
            first[key] = when
    return first


def _date_people(rng: random.Random, start: datetime, end: datetime) -> dict[int, datetime]:
    """Each person joins before their first post or comment; returns id → joined."""
    first = _first_activity(
        [
            *Post.objects.values("author").annotate(m=Min("created_at")).values_list("author", "m"),
            *Comment.objects.values("author")
            .annotate(m=Min("created_at"))
            .values_list("author", "m"),
        ]
    )
    people = list(Person.objects.order_by("pk").only("pk", "user_id"))
    joined = {}
    for person in people:
        limit = first.get(person.pk, end)
        person.joined_at = joined[person.pk] = _between(rng, start, limit)
    Person.objects.bulk_update(people, ["joined_at"], batch_size=BATCH)
    users = get_user_model().objects.in_bulk([p.user_id for p in people])
    for person in people:
        users[person.user_id].date_joined = person.joined_at
    get_user_model().objects.bulk_update(users.values(), ["date_joined"], batch_size=BATCH)
    return joined


def _date_contacts(rng: random.Random, joined: dict[int, datetime], end: datetime) -> None:
    """A pair became contacts after both had joined; both directions share the moment."""
    rows = list(Contact.objects.order_by("pk").only("pk", "person_id", "contact_id"))
    since: dict[tuple[int, int], datetime] = {}
    for row in rows:
        pair = (min(row.person_id, row.contact_id), max(row.person_id, row.contact_id))
        if pair not in since:
            since[pair] = _between(rng, max(joined[pair[0]], joined[pair[1]]), end)
        row.since = since[pair]
    Contact.objects.bulk_update(rows, ["since"], batch_size=BATCH)


def _date_follows(rng: random.Random, joined: dict[int, datetime], end: datetime) -> None:
    """Follows and tags on people come after the person joined."""
    for model, person_field, date_field in (
        (PersonFollow, "follower_id", "since"),
        (TagFollow, "follower_id", "since"),
        (PersonTag, "person_id", "added_at"),
    ):
        rows = list(model.objects.order_by("pk"))
        for row in rows:
            setattr(row, date_field, _between(rng, joined[getattr(row, person_field)], end))
        model.objects.bulk_update(rows, [date_field], batch_size=BATCH)


def _date_communities(
    rng: random.Random, joined: dict[int, datetime], start: datetime, end: datetime
) -> None:
    """A community begins before its first post; each member joins after it began and
    after joining the organisation, and before their own first post in it."""
    first_post = dict(
        Post.objects.filter(community__isnull=False)
        .values("community")
        .annotate(m=Min("created_at"))
        .values_list("community", "m")
    )
    first_by_member = {
        (c, a): m
        for c, a, m in Post.objects.filter(community__isnull=False)
        .values("community", "author")
        .annotate(m=Min("created_at"))
        .values_list("community", "author", "m")
    }
    communities = list(Community.objects.order_by("pk"))
    for community in communities:
        owner_joined = joined.get(community.created_by_id, start)
        limit = first_post.get(community.pk, end)
        community.created_at = _between(rng, min(owner_joined, limit), limit)
    Community.objects.bulk_update(communities, ["created_at"], batch_size=BATCH)
    began = {c.pk: c for c in communities}

    memberships = list(Membership.objects.order_by("pk"))
    member_since = {}
    for m in memberships:
        community = began[m.community_id]
        if m.person_id == community.created_by_id:
            m.joined_at = community.created_at
        else:
            low = max(community.created_at, joined[m.person_id])
            posted = first_by_member.get((m.community_id, m.person_id), end)
            m.joined_at = _between(rng, low, posted)
        member_since[(m.community_id, m.person_id)] = m.joined_at
    Membership.objects.bulk_update(memberships, ["joined_at"], batch_size=BATCH)

    for model in (MembershipEvent, CommunityFollow):
        rows = list(model.objects.order_by("pk"))
        for row in rows:
            person = row.actor_id if model is MembershipEvent else row.person_id
            key = (row.community_id, person)
            row.created_at = member_since.get(key) or _between(
                rng, began[row.community_id].created_at, end
            )
        model.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)
