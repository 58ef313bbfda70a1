"""Who may see a post, checked on every read path against one explicit table.

The rule (kollega/permissions/posts.py):

- organisation: every active colleague;
- network: the author, the board owner and the author's contacts;
- board: the author, the board owner and the board owner's contacts;

and a deactivated colleague sees nothing.

The cast is fixed for every case (tests/permission_cast.py, the `cast` fixture of
tests/conftest.py): the author Anna, the board owner Bjørn, a contact of each, a
stranger, a former contact of both and a contact of both who has left.

Every read path is one function in READ_PATHS taking (viewer, post) and answering
"did the viewer get to see it?". A new path (a web page, an API endpoint) is one more
entry there; the table does not change.
"""

from contextlib import suppress

import pytest
from django.core.exceptions import PermissionDenied
from permission_cast import (
    C_CASES,
    C_CONTACTS,
    C_STANDING,
    C_WHO,
    CARDS,
    CONTACTS,
    READS,
    WHO,
    N,
    Y,
    after_the_changes,
    contacts_among,
    make_community,
    reaches,
    standing_in,
)

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.notifications.models import Notification
from kollega.notifications.services import notifications_for
from kollega.people.models import Person
from kollega.people.tests.factories import signed_in
from kollega.permissions import NotFound
from kollega.permissions.posts import can_see_post
from kollega.posts.models import Audience, Post
from kollega.posts.services import board_posts, comment_on_post, post_on_board, visible_post
from kollega.posts.stream import home_stream

pytestmark = pytest.mark.django_db

# case: (audience, written on the board of the board_owner rather than the author's own)
CASES = {
    "board_on_own_board": (Audience.BOARD, False),
    "board_on_colleagues_board": (Audience.BOARD, True),
    "network_on_own_board": (Audience.NETWORK, False),
    "network_on_colleagues_board": (Audience.NETWORK, True),
    "organisation_on_own_board": (Audience.ORGANISATION, False),
    "organisation_on_colleagues_board": (Audience.ORGANISATION, True),
}


def row(*seen: bool) -> dict[str, bool]:
    return dict(zip(WHO, seen, strict=True))


# Who sees the post, per case. Columns in WHO order:
# author, board_owner, author_contact, board_owner_contact, stranger, former_contact,
# deactivated.
# fmt: off
EXPECTED = {
    #                                      auth  b.own a.con b.con stran f.con deact
    "board_on_own_board":               row(Y,    N,    Y,    N,    N,    N,    N),
    "board_on_colleagues_board":        row(Y,    Y,    N,    Y,    N,    N,    N),
    "network_on_own_board":             row(Y,    N,    Y,    N,    N,    N,    N),
    "network_on_colleagues_board":      row(Y,    Y,    Y,    N,    N,    N,    N),
    "organisation_on_own_board":        row(Y,    Y,    Y,    Y,    Y,    Y,    N),
    "organisation_on_colleagues_board": row(Y,    Y,    Y,    Y,    Y,    Y,    N),
}
# fmt: on


# --- Read paths: (viewer, post) -> did the viewer see the post? ----------------------


def _can_see_post(viewer: Person, post: Post) -> bool:
    return can_see_post(viewer, post)


def _visible_to(viewer: Person, post: Post) -> bool:
    return Post.objects.visible_to(viewer).filter(pk=post.pk).exists()


def _home_stream_all(viewer: Person, post: Post) -> bool:
    return post.pk in {p.pk for p in home_stream(viewer, "all").posts}


def _board_posts(viewer: Person, post: Post) -> bool:
    return post.pk in {p.pk for p in board_posts(viewer, post.board_owner)}


def _visible_post(viewer: Person, post: Post) -> bool:
    return reaches(visible_post, viewer, post.pk)


def _mention_notification(viewer: Person, post: Post) -> bool:
    """A mention notification pointing at the post is listed only while the post is visible.

    The notification is stored directly, so this checks the read side for every viewer
    (the services never write one for a viewer who cannot see the post; the posts tests
    check that side)."""
    note = Notification.objects.create(
        recipient=viewer, kind=Notification.Kind.MENTION, actor=post.author, post=post
    )
    return notifications_for(viewer).filter(pk=note.pk).exists()


def _comment_on_post(viewer: Person, post: Post) -> bool:
    try:
        comment_on_post(viewer, post, "Seen it.")
    except PermissionDenied:
        assert not post.comments.filter(author=viewer).exists()
        return False
    return True


def _post_page(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get(f"/posts/{post.pk}/")
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200


def _home_page(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get("/")
    return response.status_code == 200 and f'id="post-{post.pk}"' in response.content.decode()


def _api_post(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get(f"/api/v1/posts/{post.pk}")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200


def _api_stream(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get("/api/v1/stream")
    return response.status_code == 200 and post.pk in [i["id"] for i in response.json()["items"]]


def _question_for(post: Post):
    """The post made a question (a question is a post with more structure)."""
    from kollega.qa.models import Question

    question, _created = Question.objects.get_or_create(
        post=post, defaults={"title": "Matrix question", "asked_at": post.created_at}
    )
    return question


def _question_page(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get(f"/questions/{_question_for(post).pk}/")
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200


def _api_question(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get(f"/api/v1/questions/{_question_for(post).pk}")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200


def _question_inbox(viewer: Person, post: Post) -> bool:
    """A question sent to the viewer is in their inbox only while they may see it.

    The referral is stored directly, to check the read side for every viewer (the
    services never send a question to someone who cannot see it; the qa tests check that)."""
    from kollega.qa.models import Referral
    from kollega.qa.services import question_inbox

    question = _question_for(post)
    sender = Person.objects.exclude(pk=viewer.pk).first()
    Referral.objects.create(
        question=question, person=viewer, referred_by=sender, created_at=post.created_at
    )
    return question_inbox(viewer).filter(pk=question.pk).exists()


def _expertise_evidence(viewer: Person, post: Post) -> bool:
    """The post counts as evidence of what its author knows (who knows, routing)."""
    from django.utils import timezone

    from kollega.expertise.evidence import Gatherer, topic_for
    from kollega.expertise.ranking import Kind
    from kollega.tags.services import get_or_create_tags

    post.tags.add(*get_or_create_tags(["matrixpost"]))
    found = Gatherer(viewer, topic_for("matrixpost"), "matrixpost", timezone.now()).gather()
    return any(e.kind == Kind.POST for e in found.get(post.author_id, []))


def _edit_history(viewer: Person, post: Post) -> bool:
    """A post's edit history is read by exactly those who may see the post."""
    response = signed_in(viewer).get(f"/history/post/{post.pk}/")
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200


def _api_edits(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get(f"/api/v1/edits/post/{post.pk}")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200


READ_PATHS = {
    "web: edit history": _edit_history,
    "api: GET /edits/post/{id}": _api_edits,
    "web: question page": _question_page,
    "api: GET /questions/{id}": _api_question,
    "question inbox": _question_inbox,
    "web: post page": _post_page,
    "web: home stream": _home_page,
    "api: GET /posts/{id}": _api_post,
    "api: GET /stream": _api_stream,
    "can_see_post": _can_see_post,
    "Post.objects.visible_to": _visible_to,
    "home_stream_all": _home_stream_all,
    "board_posts": _board_posts,
    "visible_post": _visible_post,
    "notifications_for_mention": _mention_notification,
    "comment_on_post": _comment_on_post,
    "expertise evidence": _expertise_evidence,
}


# --- The post and the table ------------------------------------------------------------


def make_post(cast: dict[str, Person], case: str) -> Post:
    audience, on_colleagues_board = CASES[case]
    board_owner = cast["board_owner"] if on_colleagues_board else cast["author"]
    return post_on_board(cast["author"], "Matrix post", board_owner=board_owner, audience=audience)


def test_the_cast_is_connected_as_the_table_assumes(cast):
    """The table is right only for the cast it was written for: asked of the product."""
    assert set(EXPECTED) == set(CASES)
    assert contacts_among(cast) == CONTACTS
    gone = {who for who in WHO if not Person.objects.get(pk=cast[who].pk).user.is_active}
    assert gone == {"deactivated"}


@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize("case", CASES)
def test_who_sees_the_post(cast, case, path):
    post = make_post(cast, case)
    seen = {}
    for who in WHO:
        viewer = Person.objects.select_related("user").get(pk=cast[who].pk)
        seen[who] = READ_PATHS[path](viewer, Post.objects.get(pk=post.pk))
    assert seen == EXPECTED[case]


# --- Communities ------------------------------------------------------------------------
#
# The rule (kollega/permissions/posts.py and permissions/communities.py): a post in an
# open or moderated community is seen by every active colleague; a post in a restricted
# community only by its current members — a removed member (even the post's author) or
# one who left loses sight at once. Its members, and so who is in it as evidence of
# what they know, follow the same rule (READS). Its card (name, description, tags,
# kind) is also shown to a colleague with a pending invitation (CARDS), never more.
# The cast and both tables: tests/permission_cast.py.


def _community_page(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get(post.community.get_absolute_url())
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200 and f'id="post-{post.pk}"' in response.content.decode()


def _api_community_stream(viewer: Person, post: Post) -> bool:
    response = signed_in(viewer).get(f"/api/v1/communities/{post.community.slug}/stream")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200 and post.pk in [i["id"] for i in response.json()["items"]]


def _community_stream(viewer: Person, post: Post) -> bool:
    return post.pk in {p.pk for p in communities.community_stream(viewer, post.community).posts}


def _my_communities_stream(viewer: Person, post: Post) -> bool:
    # Members follow automatically; anyone else who may read it follows it here.

    with suppress(NotFound, PermissionDenied):
        communities.follow_community(
            viewer, communities.visible_community(viewer, post.community.slug)
        )
    return post.pk in {p.pk for p in home_stream(viewer, "communities").posts}


def _notification_sent_before_removal(viewer: Person, post: Post) -> bool:
    note = Notification.objects.get(recipient=viewer, post=post, kind=Notification.Kind.MENTION)
    return notifications_for(viewer).filter(pk=note.pk).exists()


C_READ_PATHS = {
    **READ_PATHS,
    "web: community page": _community_page,
    "api: GET /communities/{slug}/stream": _api_community_stream,
    "community_stream": _community_stream,
    "home_stream_communities": _my_communities_stream,
    "notification sent before the removal": _notification_sent_before_removal,
}


# --- Paths about the community itself: (viewer, community) -> seen? ------------------------


def _community_card_page(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get(community.get_absolute_url())
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200


def _api_community(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get(f"/api/v1/communities/{community.slug}")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200


def _web_directory(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get("/communities/", {"q": community.name})
    return response.status_code == 200 and community.get_absolute_url() in response.content.decode()


def _api_directory(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get("/api/v1/communities")
    return response.status_code == 200 and community.slug in [
        i["slug"] for i in response.json()["items"]
    ]


def _found_by_its_tag(viewer: Person, community: Community) -> bool:
    return community in communities.community_directory(viewer, "matrixtag")


def _api_tags(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get("/api/v1/communities", {"q": "matrixtag"})
    return response.status_code == 200 and any(
        "matrixtag" in i["tags"] for i in response.json()["items"]
    )


def _web_members(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get(f"/communities/{community.slug}/members/")
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200 and 'id="member-maja"' in response.content.decode()


def _api_members(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get(f"/api/v1/communities/{community.slug}/members")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200 and "maja" in str(response.json())


def _on_a_members_profile(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get("/people/maja/")
    return response.status_code == 200 and community.get_absolute_url() in response.content.decode()


def _community_notification_before_removal(viewer: Person, community: Community) -> bool:
    note = Notification.objects.get(
        recipient=viewer, community=community, kind=Notification.Kind.COMMUNITY_APPROVED
    )
    return notifications_for(viewer).filter(pk=note.pk).exists()


def _api_more_than_the_card(viewer: Person, community: Community) -> bool:
    """Its activity and size (beyond the card) in the API's detail and directory."""
    client = signed_in(viewer)
    detail = client.get(f"/api/v1/communities/{community.slug}")
    listed = client.get("/api/v1/communities")
    if detail.status_code != 200:
        return False
    items = [i for i in listed.json()["items"] if i["slug"] == community.slug]
    extra = {"member_count", "last_activity_at", "trend", "pinned_post_id"}
    shown = extra & set(detail.json())
    assert shown in (set(), extra) and all(shown >= set(i) & extra for i in items)
    return bool(shown)


def _web_more_than_the_card(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get("/communities/", {"q": community.name})
    return response.status_code == 200 and "3 members" in response.content.decode()


def _membership_evidence(viewer: Person, community: Community) -> bool:
    """Who knows: the owner's and the members' membership counts as their evidence."""
    from django.utils import timezone

    from kollega.expertise.evidence import Gatherer, topic_for
    from kollega.expertise.ranking import Kind

    found = Gatherer(viewer, topic_for("matrixtag"), "matrixtag", timezone.now()).gather()
    kinds = {e.kind for evidence in found.values() for e in evidence}
    return bool(kinds & {Kind.COMMUNITY_OWNER, Kind.COMMUNITY_MEMBER})


def _api_experts(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get("/api/v1/experts", {"q": "matrixtag"})
    assert response.status_code in (200, 401)
    return response.status_code == 200 and "the community Matrix" in str(response.json())


def _web_experts(viewer: Person, community: Community) -> bool:
    response = signed_in(viewer).get("/experts/", {"q": "matrixtag"})
    return response.status_code == 200 and "the community Matrix" in response.content.decode()


# name: (read path, its table: CARDS for what an invitee may see, READS for the rest)
C_COMMUNITY_PATHS = {
    "web: community page": (_community_card_page, CARDS),
    "api: GET /communities/{slug}": (_api_community, CARDS),
    "web: directory": (_web_directory, CARDS),
    "api: GET /communities": (_api_directory, CARDS),
    "directory: found by its tag": (_found_by_its_tag, CARDS),
    "api: its tags": (_api_tags, CARDS),
    "community notification sent before the removal": (
        _community_notification_before_removal,
        CARDS,
    ),
    "api: more than the card": (_api_more_than_the_card, READS),
    "web: more than the card": (_web_more_than_the_card, READS),
    "web: member list": (_web_members, READS),
    "api: member list": (_api_members, READS),
    "profile of a member": (_on_a_members_profile, READS),
    "expertise evidence: its members": (_membership_evidence, READS),
    "api: GET /experts": (_api_experts, READS),
    "web: /experts/": (_web_experts, READS),
}


def make_community_post(c_cast: dict[str, Person], kind: str) -> Post:
    """A community of `kind` with its members, a post, notifications to everyone, and
    then the removal, the leaving and the deactivation."""
    owner = c_cast["owner"]
    community = make_community(c_cast, kind)
    post = communities.post_in_community(c_cast["member"], community, "Community matrix post")
    for who in C_WHO:
        Notification.objects.create(
            recipient=c_cast[who], kind=Notification.Kind.MENTION, actor=owner, post=post
        )
        Notification.objects.create(
            recipient=c_cast[who],
            kind=Notification.Kind.COMMUNITY_APPROVED,
            actor=owner,
            community=community,
        )
    after_the_changes(c_cast, community)
    return post


@pytest.mark.parametrize("kind", C_CASES)
def test_the_community_cast_stands_as_the_tables_assume(c_cast, kind):
    """The tables are right only for the cast they were written for: asked of the product."""
    assert set(READS) == set(CARDS) == set(C_CASES)
    community = make_community_post(c_cast, kind).community
    assert contacts_among(c_cast) == C_CONTACTS
    assert standing_in(c_cast, community) == C_STANDING


@pytest.mark.parametrize("path", C_READ_PATHS)
@pytest.mark.parametrize("kind", C_CASES)
def test_who_sees_a_community_post(c_cast, kind, path):
    post = make_community_post(c_cast, kind)
    seen = {}
    for who in C_WHO:
        viewer = Person.objects.select_related("user").get(pk=c_cast[who].pk)
        seen[who] = C_READ_PATHS[path](viewer, Post.objects.get(pk=post.pk))
    assert seen == READS[kind]


@pytest.mark.parametrize("path", C_COMMUNITY_PATHS)
@pytest.mark.parametrize("kind", C_CASES)
def test_who_sees_the_community(c_cast, kind, path):
    community = make_community_post(c_cast, kind).community
    check, table = C_COMMUNITY_PATHS[path]
    seen = {}
    for who in C_WHO:
        viewer = Person.objects.select_related("user").get(pk=c_cast[who].pk)
        seen[who] = check(viewer, Community.objects.get(pk=community.pk))
    assert seen == table[kind]


# --- Photos ---------------------------------------------------------------------------------
#
# A colleague's photo is for every signed-in colleague (former contacts and strangers
# too), never for someone signed out or who has left; it has no address but its view's.


def test_who_sees_a_photo(cast, settings):
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.test import Client

    author = cast["author"]
    author.photo.save("matrix.png", ContentFile(b"\x89PNG\r\n\x1a\n matrix"))
    stored = Path(settings.MEDIA_ROOT) / author.photo.name
    try:
        seen = {}
        for who in WHO:
            viewer = Person.objects.select_related("user").get(pk=cast[who].pk)
            seen[who] = signed_in(viewer).get(author.photo.url).status_code == 200
        assert seen == {who: who != "deactivated" for who in WHO}
        assert Client().get(author.photo.url).status_code == 302  # to the sign-in page
    finally:
        stored.unlink()
