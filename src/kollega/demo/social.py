"""Writing what makes the network feel used: tags on people, follows, invitations, notifications.

The bulk parts mirror `tag_person`, `follow_person` and `follow_tag`; the few
hand-made items for the admin and the first person go through the real
services, which also send their notifications.
"""

from collections import Counter
from datetime import timedelta

from kollega.demo.state import DemoState
from kollega.network.models import PersonFollow, TagFollow
from kollega.network.services import send_invitation
from kollega.notifications.models import Notification
from kollega.people.models import Person, PersonTag
from kollega.posts.models import Audience
from kollega.posts.services import post_on_board

TAGGING_PERIOD = timedelta(days=120)
READ_AFTER = timedelta(days=7)
INVITATION_MESSAGES = (
    "Hi! We met at the all-hands in Göteborg. Let's stay in touch.",
    "I saw your answer about the lab data exports, very useful. Connect?",
    "We will be working together on the new project next quarter.",
    "",
)
WELCOME = (
    "Thank you @{admin} for setting up Kollega for all of us! Everyone: fill in your "
    "profile and tag a colleague who helped you this week. #kollega"
)


def tag_people(state: DemoState) -> None:
    """People tag themselves with their topics; colleagues confirm some of them."""
    rng, ids = state.rng("person-tags"), state.person_ids
    links: list[tuple[int, str, int]] = []
    for n, topics in enumerate(state.interests):
        if n == 0 or rng.random() < 0.85:
            links += [(n, tag, n) for tag in topics[: rng.randint(2, 4)]]
        colleagues = sorted(state.contacts[n])
        if colleagues and (n == 0 or rng.random() < 0.35):
            for colleague in rng.sample(colleagues, min(len(colleagues), rng.randint(1, 3))):
                links += [(n, tag, colleague) for tag in rng.sample(topics, min(2, len(topics)))]
    when = [state.now - rng.uniform(0, 1) * TAGGING_PERIOD for _ in links]
    rows = PersonTag.objects.bulk_create(
        [
            PersonTag(person_id=ids[p], tag_id=state.tag_ids[t], added_by_id=ids[b])
            for p, t, b in links
        ],
        batch_size=1000,
    )
    # added_at is stamped on insert; spread the tagging over the last months instead.
    for row, moment in zip(rows, when, strict=True):
        row.added_at = moment
        state.notify(
            row.person_id, Notification.Kind.TAGGED, row.added_by_id, moment, tag_id=row.tag_id
        )
    PersonTag.objects.bulk_update(rows, ["added_at"], batch_size=500)
    state.counts["person_tags"] = len(rows)


def follow(state: DemoState) -> None:
    """Some people follow their manager or a busy poster, and a few of their topics."""
    rng, ids = state.rng("follows"), state.person_ids
    busy = _busiest_posters(state, 30)
    people, tags = set(), set()
    for n, manager in enumerate(state.line.manager):
        if manager is not None and (n == 0 or rng.random() < 0.4):
            people.add((n, manager))
        if n == 0 or rng.random() < 0.25:
            people.update((n, b) for b in rng.sample(busy, min(2, len(busy))) if b != n)
        if n == 0 or rng.random() < 0.5:
            topics = state.interests[n]
            tags.update((n, t) for t in rng.sample(topics, min(len(topics), rng.randint(1, 3))))
    PersonFollow.objects.bulk_create(
        [PersonFollow(follower_id=ids[a], followed_id=ids[b]) for a, b in sorted(people)]
    )
    TagFollow.objects.bulk_create(
        [TagFollow(follower_id=ids[a], tag_id=state.tag_ids[t]) for a, t in sorted(tags)]
    )
    state.counts.update(person_follows=len(people), tag_follows=len(tags))


def _busiest_posters(state: DemoState, count: int) -> list[int]:
    """The people who asked the most, busiest first."""
    activity = Counter(state.author_of[t.question.author_key] for t in state.talk.threads)
    return [n for n, _posts in sorted(activity.items(), key=lambda i: (-i[1], i[0]))[:count]]


def write_notifications(state: DemoState) -> None:
    """Everything queued while building; older than a week counts as read."""
    rows = []
    for notification, when in state.notifications:
        if state.now - when > READ_AFTER:
            notification.read_at = min(when + timedelta(hours=2), state.now)
        rows.append(notification)
    Notification.objects.bulk_create(rows, batch_size=1000)
    for notification, when in state.notifications:
        notification.created_at = when
    Notification.objects.bulk_update(rows, ["created_at"], batch_size=500)
    state.counts["notifications"] = len(rows)


def welcome_the_first_people(state: DemoState) -> None:
    """Pending invitations and a board post, through the services, so the UI has news."""
    rng = state.rng("invitations")
    people = Person.objects.in_bulk([state.admin_id, *state.person_ids])
    admin, first = people[state.admin_id], people[state.person_ids[0]]
    ceo = people[state.person_ids[state.line.ceo]]
    strangers_of_first = [n for n in range(1, len(state.person_ids)) if n not in state.contacts[0]]
    senders = rng.sample(strangers_of_first, min(4, len(strangers_of_first)))
    for n in senders[:3]:
        send_invitation(people[state.person_ids[n]], first, rng.choice(INVITATION_MESSAGES))
    if len(senders) > 3:
        send_invitation(first, people[state.person_ids[senders[3]]], INVITATION_MESSAGES[1])
    directors = set(state.line.division_head.values())
    others = [n for n in range(len(state.person_ids)) if n not in directors]
    for n in rng.sample(others, min(3, len(others))):
        send_invitation(people[state.person_ids[n]], admin, rng.choice(INVITATION_MESSAGES))
    post_on_board(
        ceo, WELCOME.format(admin=admin.handle), board_owner=admin, audience=Audience.ORGANISATION
    )
    state.counts["invitations"] = len(senders) + min(3, len(others))
