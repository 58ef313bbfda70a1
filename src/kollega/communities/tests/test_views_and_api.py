"""Community pages, the composer, moderation from the post page, and the API."""

import json

import pytest
from django.test import Client

from kollega.api.services import create_token
from kollega.communities import services
from kollega.communities.models import Community, ModerationLog
from kollega.permissions.communities import is_member, is_owner
from kollega.posts.models import Audience, Post
from kollega.posts.services import comment_on_post

pytestmark = pytest.mark.django_db


def browser(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


class Api:
    def __init__(self, person):
        _token, key = create_token(person, "tests")
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, path, params=None):
        return self.client.get("/api/v1" + path, params or {})

    def send(self, method, path, body=None):
        return getattr(self.client, method)(
            "/api/v1" + path, data=json.dumps(body or {}), content_type="application/json"
        )


# --- web ------------------------------------------------------------------------------------


def test_creating_a_community_from_the_form(anna):
    response = browser(anna).post(
        "/communities/new/",
        {"name": "Wine", "description": "Tastings", "tags": "wine, #storage", "kind": "moderated"},
    )
    community = Community.objects.get()
    assert response.status_code == 302 and response.url == "/communities/wine/"
    assert community.kind == "moderated" and is_owner(anna, community)
    assert sorted(community.tags.values_list("name", flat=True)) == ["storage", "wine"]


def test_an_empty_or_duplicate_name_shows_the_error_and_creates_nothing(anna):
    services.create_community(anna, "Wine")
    for name in ("", "wine"):
        response = browser(anna).post("/communities/new/", {"name": name, "kind": "open"})
        assert response.status_code == 400
    assert Community.objects.count() == 1
    assert "already a community" in response.content.decode()


def test_the_directory_lists_and_searches(anna, bjorn):
    services.create_community(anna, "Wine", tags=["tasting"])
    services.create_community(anna, "Beer")
    services.create_community(anna, "Hidden", kind="restricted")
    page = browser(bjorn).get("/communities/").content.decode()
    assert "/communities/wine/" in page and "/communities/beer/" in page
    assert "Hidden" not in page
    found = browser(bjorn).get("/communities/", {"q": "tasting"}, HTTP_HX_REQUEST="true")
    assert "/communities/wine/" in found.content.decode()
    assert "/communities/beer/" not in found.content.decode()


def test_joining_posting_and_leaving_through_the_pages(anna, bjorn):
    community = services.create_community(anna, "Wine")
    b = browser(bjorn)
    b.post("/communities/wine/join/")
    assert is_member(bjorn, community)
    response = b.post(
        "/posts/new/", {"body": "Hello wine", "community": community.pk, "origin": "community"}
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.audience == Audience.COMMUNITY and post.community == community
    page = b.get("/communities/wine/").content.decode()
    assert f'id="post-{post.pk}"' in page and "Hello wine" in page
    b.post("/communities/wine/leave/")
    assert not is_member(bjorn, community)


def test_the_home_composer_offers_the_persons_communities(anna, bjorn):
    community = services.create_community(anna, "Wine")
    services.create_community(bjorn, "Beer")
    page = browser(anna).get("/").content.decode()
    assert f'<option value="{community.pk}"' in page and ">Beer<" not in page
    response = browser(anna).post("/posts/new/", {"body": "From home", "community": community.pk})
    assert response.status_code == 302
    assert Post.objects.get().community == community


def test_posting_in_a_community_one_is_not_in_is_refused(anna, bjorn):
    community = services.create_community(anna, "Wine")
    response = browser(bjorn).post(
        "/posts/new/", {"body": "Let me in", "community": community.pk, "origin": "community"}
    )
    assert response.status_code == 400
    assert "Only members may post" in response.content.decode()
    assert not Post.objects.exists()


def test_an_owner_removes_a_post_and_a_comment_with_a_reason(anna, bjorn):
    community = services.create_community(anna, "Wine")
    services.join_community(bjorn, community)
    post = services.post_in_community(bjorn, community, "Cheap watches")
    comment = comment_on_post(bjorn, post, "More watches")
    a = browser(anna)
    page = a.get(f"/posts/{post.pk}/").content.decode()
    assert "Remove from the community" in page and f"remove-comment-{comment.pk}" in page
    assert (
        "Remove from the community" not in browser(bjorn).get(f"/posts/{post.pk}/").content.decode()
    )
    a.post(f"/communities/wine/comments/{comment.pk}/remove/", {"reason": "Spam"})
    a.post(f"/communities/wine/posts/{post.pk}/remove/", {"reason": "Spam"})
    assert not Post.objects.exists()
    assert ModerationLog.objects.count() == 2
    notes = browser(bjorn).get("/notifications/").content.decode()
    assert "Anna Lindqvist removed your post from Wine" in notes and "Spam" in notes


def test_owners_manage_members_from_the_members_page(anna, bjorn, carla):
    community = services.create_community(anna, "Wine", kind="moderated")
    request = services.request_membership(bjorn, community)
    a = browser(anna)
    a.post("/communities/wine/approve/", {"request": request.pk})
    a.post("/communities/wine/invite/", {"username": "carla"})
    browser(carla).post("/communities/wine/accept/")
    a.post("/communities/wine/make-owner/", {"username": "bjorn"})
    a.post("/communities/wine/remove/", {"username": "carla"})
    assert is_owner(bjorn, community) and not is_member(carla, community)
    log = a.get("/communities/wine/log/")
    assert log.status_code == 200 and "Carla Smith" in log.content.decode()
    assert browser(carla).get("/communities/wine/log/").status_code == 404


def test_a_profile_shows_the_communities_the_viewer_may_see(anna, bjorn):
    services.create_community(anna, "Wine")
    services.create_community(anna, "Secret board", kind="restricted")
    mine = browser(anna).get("/people/anna/").content.decode()
    theirs = browser(bjorn).get("/people/anna/").content.decode()
    assert "Secret board" in mine and "/communities/wine/" in theirs
    assert "Secret board" not in theirs


# --- API ------------------------------------------------------------------------------------


def test_the_api_creates_lists_and_shows_communities(anna, bjorn):
    api = Api(anna)
    response = api.send("post", "/communities", {"name": "Wine", "tags": ["wine"]})
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "wine" and body["me"]["role"] == "owner" and body["tags"] == ["wine"]
    assert body["trend"] == "steady" and body["member_count"] == 1
    again = api.send("post", "/communities", {"name": "WINE"})
    assert again.status_code == 400 and "already a community" in again.json()["detail"]
    listed = Api(bjorn).get("/communities", {"q": "win"}).json()
    assert [c["slug"] for c in listed["items"]] == ["wine"]


def test_membership_over_the_api(anna, bjorn, carla):
    services.create_community(anna, "Wine", kind="moderated")
    b, a = Api(bjorn), Api(anna)
    assert b.send("post", "/communities/wine/join").status_code == 400
    request = b.send("post", "/communities/wine/requests", {"message": "Please"}).json()
    assert b.send("post", f"/communities/wine/requests/{request['id']}/approve").status_code == 403
    assert [r["id"] for r in a.get("/communities/wine/requests").json()] == [request["id"]]
    assert a.send("post", f"/communities/wine/requests/{request['id']}/approve").status_code == 204
    assert a.send("post", "/communities/wine/members/bjorn/owner").status_code == 204
    members = a.get("/communities/wine/members").json()
    assert [(m["person"]["username"], m["role"]) for m in members["items"]] == [
        ("anna", "owner"),
        ("bjorn", "owner"),
    ]
    assert a.send("delete", "/communities/wine/members/bjorn").status_code == 204
    last = a.send("post", "/communities/wine/leave")
    assert last.status_code == 400 and "last owner" in last.json()["detail"]


def test_a_restricted_community_over_the_api(anna, bjorn, carla):
    services.create_community(anna, "Secret", kind="restricted")
    a, b, c = Api(anna), Api(bjorn), Api(carla)
    assert c.get("/communities/secret").status_code == 404
    assert c.send("post", "/communities/secret/join").status_code == 404
    assert (
        a.send("post", "/communities/secret/invitations", {"username": "bjorn"}).status_code == 204
    )
    assert b.get("/communities/secret").json()["me"]["invited"] is True
    assert b.get("/communities/secret/stream").status_code == 404  # invited is not a member
    assert b.send("post", "/communities/secret/invitation/accept").status_code == 204
    posted = b.send("post", "/communities/secret/posts", {"body": "Psst"})
    assert posted.status_code == 201 and posted.json()["community"] == "secret"
    stream = b.get("/communities/secret/stream").json()
    assert [p["body"] for p in stream["items"]] == ["Psst"]
    assert c.send("post", "/communities/secret/posts", {"body": "Hi"}).status_code == 404
    assert c.get(f"/posts/{posted.json()['id']}").status_code == 404


def test_the_pinned_card_shows_the_last_three_comments(anna, bjorn):
    community = services.create_community(anna, "Wine")
    post = services.post_in_community(anna, community, "Read me first")
    services.pin_post(anna, community, post)
    for i in range(5):
        comment_on_post(bjorn, post, f"Comment number {i}")
    page = browser(bjorn).get(community.get_absolute_url()).content.decode()
    pinned = page.split('class="pinned"')[1]
    assert [i for i in range(5) if f"Comment number {i}" in pinned] == [2, 3, 4]


@pytest.mark.parametrize(
    ("action", "field"),
    [("approve", "request"), ("refuse", "request"), ("pin", "post")],
)
@pytest.mark.parametrize("value", ["abc", "1.5", "9" * 5000, str(2**64)])
def test_an_owners_action_naming_no_number_finds_nothing_instead_of_failing(
    anna, action, field, value
):
    services.create_community(anna, "Wine", kind="moderated")
    response = browser(anna).post(f"/communities/wine/{action}/", {field: value}, follow=True)
    if action == "pin":
        assert response.status_code == 404  # as for a post that is not in the community
    else:
        assert response.status_code == 200
        assert "There is no such request." in response.content.decode()
