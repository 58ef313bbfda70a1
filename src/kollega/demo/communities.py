"""Writing communities: one per department, topic communities from the source's tags,
their members, and a share of the posts moved into them.

The rows are what `create_community`, `join_community` and `post_in_community`
would have written (owners and members, follows, the membership log), in bulk.

- Department communities are moderated and owned by the department's head; a few
  are restricted. Everyone in the department is a member.
- Topic communities are made from the most used tags, open or moderated. People
  interested in the tag are members; the most active of them owns it.
- A post moves into a topic community with its first tag (its author joins), and
  into a restricted department community only when its author and everyone who
  answered are in the department, so nobody loses sight of their own thread.
"""

from collections import defaultdict

from django.utils.text import slugify

from kollega.communities.models import (
    Community,
    CommunityFollow,
    Membership,
    MembershipEvent,
)
from kollega.demo import plan
from kollega.demo.state import DemoState
from kollega.people.models import Person
from kollega.posts.models import Audience, Comment, Post
from kollega.posts.services import post_on_board
from kollega.qa.models import Answer

RESTRICTED_DEPARTMENTS = 3
TOPICS = 12
TOPIC_SHARE = 0.35  # of the organisation-wide posts that carry a topic's tag
DEPARTMENT_SHARE = 0.5  # of the posts that could stay inside their department

WELCOME = (
    "Welcome to {name}: only our department sees what is written here. "
    "Plans, budgets and drafts welcome. #planning"
)

Kind, Role = Community.Kind, Membership.Role


def create_communities(state: DemoState) -> None:
    """Department and topic communities, members, follows, the log, and posts moved in."""
    rng = state.rng("communities")
    number_of = {pk: n for n, pk in enumerate(state.person_ids)}
    members: dict[int, dict[int, str]] = {}  # community id → person number → role
    departments = _department_communities(state, rng, members)
    topics = _topic_communities(state, rng, members)
    moved = _move_posts(state, rng, departments, topics, members, number_of)
    ids = state.person_ids
    Membership.objects.bulk_create(
        [
            Membership(community_id=c, person_id=ids[n], role=role)
            for c, people in members.items()
            for n, role in people.items()
        ],
        batch_size=2000,
    )
    CommunityFollow.objects.bulk_create(
        [CommunityFollow(community_id=c, person_id=ids[n]) for c, p in members.items() for n in p],
        batch_size=2000,
    )
    MembershipEvent.objects.bulk_create(
        [
            MembershipEvent(
                community_id=c,
                actor_id=ids[n],
                person_id=ids[n],
                what="created" if role == Role.OWNER else "joined",
            )
            for c, people in members.items()
            for n, role in people.items()
        ],
        batch_size=2000,
    )
    _welcome_in_restricted(state, departments)
    state.counts.update(
        communities=len(members),
        community_memberships=sum(len(p) for p in members.values()),
        community_posts=moved,
    )


def _create(name: str, description: str, kind: str, owner: int, state: DemoState) -> Community:
    return Community.objects.create(
        name=name,
        slug=slugify(name)[:80] or "community",
        description=description,
        kind=kind,
        created_by_id=state.person_ids[owner],
    )


def _department_communities(state, rng, members) -> dict[int, Community]:
    """label → the department's community; everyone in it is a member."""
    labels = sorted(state.department_ids)
    restricted = set(rng.sample(labels, min(RESTRICTED_DEPARTMENTS, len(labels))))
    people = defaultdict(list)
    for n, label in enumerate(state.shape.department_of):
        people[label].append(n)
    made, used = {}, set()
    for label in labels:
        name = state.department_names[label]
        if name.lower() in used:
            name = f"{name} ({state.division_of[label]})"
        used.add(name.lower())
        head = state.line.head_of[label]
        kind = Kind.RESTRICTED if label in restricted else Kind.MODERATED
        made[label] = _create(
            name, f"Everyone in {name}: news, plans and questions.", kind, head, state
        )
        members[made[label].pk] = {n: Role.MEMBER for n in people[label]} | {head: Role.OWNER}
    return made


def _topic_communities(state, rng, members) -> dict[str, Community]:
    """tag → its topic community, for the most used tags."""
    tags = plan.valid_tags(sorted(state.talk.tag_weights, key=lambda t: -state.talk.tag_weights[t]))
    taken = {c.name.lower() for c in Community.objects.all()}
    made = {}
    for i, tag in enumerate(t for t in tags if t.title().lower() not in taken):
        if i >= TOPICS:
            break
        interested = [n for n, topics in enumerate(state.interests) if tag in topics]
        if not interested:
            continue
        owner = max(interested, key=lambda n: (len(state.contacts[n]), -n))
        kind = Kind.MODERATED if i % 3 == 2 else Kind.OPEN
        community = _create(
            tag.replace("-", " ").title(), f"Everything about #{tag}.", kind, owner, state
        )
        community.tags.add(state.tag_ids[tag])
        members[community.pk] = {n: Role.MEMBER for n in interested} | {owner: Role.OWNER}
        made[tag] = community
    # The demo persona is in the two biggest topics, so "My communities" has news.
    for community in list(made.values())[:2]:
        members[community.pk].setdefault(0, Role.MEMBER)
    return made


def _move_posts(state, rng, departments, topics, members, number_of) -> int:
    """Move a share of the organisation-wide posts into communities; returns how many."""
    department_of = state.shape.department_of
    answerers = defaultdict(set)
    for post_id, author_id in Comment.objects.values_list("post_id", "author_id"):
        answerers[post_id].add(number_of[author_id])
    for post_id, author_id in Answer.objects.values_list("question__post_id", "author_id"):
        answerers[post_id].add(number_of[author_id])
    tags_of = defaultdict(list)
    for post_id, name in Post.tags.through.objects.values_list("post_id", "tag__name"):
        tags_of[post_id].append(name)
    posts = Post.objects.filter(audience=Audience.ORGANISATION, author_id__in=number_of)
    into: dict[int, list[int]] = defaultdict(list)
    for post_id, author_id in posts.order_by("pk").values_list("pk", "author_id"):
        author = number_of[author_id]
        label = department_of[author]
        local = all(department_of[n] == label for n in answerers[post_id])
        topic = next((t for t in sorted(tags_of[post_id]) if t in topics), None)
        if local and rng.random() < DEPARTMENT_SHARE:
            community = departments[label]
        elif topic is not None and rng.random() < TOPIC_SHARE:
            community = topics[topic]
            members[community.pk].setdefault(author, Role.MEMBER)
        else:
            continue
        into[community.pk].append(post_id)
    for community_id, post_ids in into.items():
        Post.objects.filter(pk__in=post_ids).update(
            audience=Audience.COMMUNITY, community_id=community_id
        )
    _pin_the_best(into)
    return sum(len(p) for p in into.values())


def _welcome_in_restricted(state: DemoState, departments: dict[int, Community]) -> None:
    """The head of each restricted department greets its members, through the service."""
    for label, community in departments.items():
        if community.kind == Kind.RESTRICTED:
            head = Person.objects.get(pk=state.person_ids[state.line.head_of[label]])
            post_on_board(head, WELCOME.format(name=community.name), community=community)


def _pin_the_best(into: dict[int, list[int]]) -> None:
    """Each topic's most recommended post is pinned."""
    best = {}
    for community_id, post_ids in into.items():
        top = Post.objects.filter(pk__in=post_ids).order_by("-recommendation_count", "pk").first()
        if top is not None and top.recommendation_count:
            best[community_id] = top.pk
    for community_id, post_id in best.items():
        Community.objects.filter(pk=community_id).update(pinned_post_id=post_id)
