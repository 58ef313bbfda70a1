"""Community pages, the composer, moderation from the post page, and the API."""

import json

import pytest
from django.test import Client

from kollega.api.services import create_token
from kollega.communities import services
from kollega.communities.models import Community, ModerationLog
from kollega.people.tests.factories import signed_in
from kollega.permissions.communities import is_member, is_owner
from kollega.posts.models import Audience, Post
from kollega.posts.services import comment_on_post

pytestmark = pytest.mark.django_db


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
    response = signed_in(anna).post(
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
        response = signed_in(anna).post("/communities/new/", {"name": name, "kind": "open"})
        assert response.status_code == 400
    assert Community.objects.count() == 1
    assert "already a community" in response.content.decode()


def test_the_directory_lists_and_searches(anna, bjorn):
    services.create_community(anna, "Wine", tags=["tasting"])
    services.create_community(anna, "Beer")
    services.create_community(anna, "Hidden", kind="restricted")
    page = signed_in(bjorn).get("/communities/").content.decode()
    assert "/communities/wine/" in page and "/communities/beer/" in page
    assert "Hidden" not in page
    found = signed_in(bjorn).get("/communities/", {"q": "tasting"}, HTTP_HX_REQUEST="true")
    assert "/communities/wine/" in found.content.decode()
    assert "/communities/beer/" not in found.content.decode()


def test_joining_posting_and_leaving_through_the_pages(anna, bjorn):
    community = services.create_community(anna, "Wine")
    b = signed_in(bjorn)
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
    page = signed_in(anna).get("/").content.decode()
    assert f'<option value="{community.pk}"' in page and ">Beer<" not in page
    response = signed_in(anna).post("/posts/new/", {"body": "From home", "community": community.pk})
    assert response.status_code == 302
    assert Post.objects.get().community == community


def test_posting_in_a_community_one_is_not_in_is_refused(anna, bjorn):
    community = services.create_community(anna, "Wine")
    response = signed_in(bjorn).post(
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
    a = signed_in(anna)
    page = a.get(f"/posts/{post.pk}/").content.decode()
    assert "Remove from the community" in page and f"remove-comment-{comment.pk}" in page
    page = signed_in(bjorn).get(f"/posts/{post.pk}/").content.decode()
    assert "Remove from the community" not in page
    a.post(f"/communities/wine/comments/{comment.pk}/remove/", {"reason": "Spam"})
    a.post(f"/communities/wine/posts/{post.pk}/remove/", {"reason": "Spam"})
    assert not Post.objects.exists()
    assert ModerationLog.objects.count() == 2
    notes = signed_in(bjorn).get("/notifications/").content.decode()
    assert "Anna Lindqvist removed your post from Wine" in notes and "Spam" in notes


def test_owners_manage_members_from_the_members_page(anna, bjorn, carla):
    community = services.create_community(anna, "Wine", kind="moderated")
    request = services.request_membership(bjorn, community)
    a = signed_in(anna)
    a.post("/communities/wine/approve/", {"request": request.pk})
    a.post("/communities/wine/invite/", {"username": "carla"})
    signed_in(carla).post("/communities/wine/accept/")
    a.post("/communities/wine/make-owner/", {"username": "bjorn"})
    a.post("/communities/wine/remove/", {"username": "carla"})
    assert is_owner(bjorn, community) and not is_member(carla, community)
    log = a.get("/communities/wine/log/")
    assert log.status_code == 200 and "Carla Smith" in log.content.decode()
    assert signed_in(carla).get("/communities/wine/log/").status_code == 404


def test_a_profile_shows_the_communities_the_viewer_may_see(anna, bjorn):
    services.create_community(anna, "Wine")
    services.create_community(anna, "Secret board", kind="restricted")
    mine = signed_in(anna).get("/people/anna/").content.decode()
    theirs = signed_in(bjorn).get("/people/anna/").content.decode()
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
    page = signed_in(bjorn).get(community.get_absolute_url()).content.decode()
    pinned = page.split('class="pinned"')[1]
    assert [i for i in range(5) if f"Comment number {i}" in pinned] == [2, 3, 4]


# --- an invitee sees the card alone; joining a restricted community -------------------------

# The classification is on the card, as the kind is: an invitee decides knowing both.
CARD = {"slug", "name", "description", "kind", "classification", "tags", "url"}


def test_an_invitee_gets_only_the_card_of_a_restricted_community(anna, bjorn, carla):
    secret = services.create_community(anna, "Secret", "Plans.", ["merger"], kind="restricted")
    services.pin_post(anna, secret, services.post_in_community(anna, secret, "Read me"))
    services.invite_to_community(anna, secret, bjorn)
    detail = Api(bjorn).get("/communities/secret").json()
    assert set(detail) == CARD | {"me"} and detail["me"]["invited"] is True
    assert (detail["name"], detail["tags"], detail["kind"]) == ("Secret", ["merger"], "restricted")
    listed = Api(bjorn).get("/communities").json()["items"]
    assert [set(c) for c in listed] == [CARD]
    page = signed_in(bjorn).get("/communities/").content.decode()
    assert "Secret" in page and "member" not in page and "active" not in page
    # A member still gets everything.
    full = Api(anna).get("/communities/secret").json()
    assert full["member_count"] == 1 and full["pinned_post_id"] and full["trend"] == "steady"
    assert set(Api(anna).get("/communities").json()["items"][0]) > CARD
    assert "1 member" in signed_in(anna).get("/communities/").content.decode()
    # The schema says those fields may be absent.
    schema = Api(anna).get("/openapi.json").json()["components"]["schemas"]["CommunityDetail"]
    assert set(schema["required"]) == CARD | {"me"}


def test_a_restricted_community_is_joined_only_by_accepting_the_invitation(anna, bjorn, carla):
    services.create_community(anna, "Secret", kind="restricted")
    services.create_community(anna, "Open")
    secret = Community.objects.get(slug="secret")
    services.invite_to_community(anna, secret, bjorn)
    b = Api(bjorn)
    refused = b.send("post", "/communities/secret/join")
    assert refused.status_code == 403
    assert "/api/v1/communities/secret/invitation/accept" in refused.json()["detail"]
    assert not is_member(bjorn, secret) and b.get("/communities/secret").json()["me"]["invited"]
    assert Api(anna).send("post", "/communities/secret/join").status_code == 403  # a member too
    assert Api(carla).send("post", "/communities/secret/join").status_code == 404  # not invited
    assert b.send("post", "/communities/secret/invitation/accept").status_code == 204
    assert is_member(bjorn, secret)
    assert b.send("post", "/communities/open/join").status_code == 204


@pytest.mark.parametrize("value", ["abc", "", "1.5", "-1", "9" * 30, str(2**63), "١"])
@pytest.mark.parametrize(
    "action, field", [("approve", "request"), ("refuse", "request"), ("pin", "post")]
)
def test_owner_actions_with_a_malformed_id_answer_400_and_change_nothing(
    anna, bjorn, action, field, value
):
    community = services.create_community(anna, "Wine", kind="moderated")
    request = services.request_membership(bjorn, community)
    response = signed_in(anna).post(f"/communities/wine/{action}/", {field: value})
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    request.refresh_from_db()
    community.refresh_from_db()
    assert request.status == "pending" and community.pinned_post_id is None
    assert not is_member(bjorn, community)


def test_owner_actions_with_a_good_id_still_work(anna, bjorn):
    community = services.create_community(anna, "Wine", kind="moderated")
    request = services.request_membership(bjorn, community)
    post = services.post_in_community(anna, community, "Read me")
    a = signed_in(anna)
    assert a.post("/communities/wine/pin/", {"post": post.pk}).status_code == 302
    assert a.post("/communities/wine/approve/", {"request": request.pk}).status_code == 302
    community.refresh_from_db()
    assert community.pinned_post_id == post.pk and is_member(bjorn, community)
