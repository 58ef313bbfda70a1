"""Pages as a signed-in person sees them: every page needs sign-in, bad input is
shown clearly and changes nothing, and pages show only what the viewer may see."""

import pytest

from kollega.network.services import connect, send_invitation
from kollega.people.models import Person
from kollega.people.tests.factories import signed_in
from kollega.posts.models import Audience, Post
from kollega.posts.services import comment_on_post, post_on_board

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/people/", "/network/", "/notifications/", "/tags/x/"])
def test_every_page_asks_a_stranger_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_posting_from_the_home_page_shows_the_post_in_the_stream(anna):
    client = signed_in(anna)
    response = client.post(
        "/posts/new/", {"body": "Hello **team** #kickoff", "audience": "organisation"}, follow=True
    )
    assert response.status_code == 200
    assert b"<strong>team</strong>" in response.content
    assert b'href="/tags/kickoff/"' in response.content


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write something first."),
        ("x" * 5001, "Too long: 5001 characters, at most 5000."),
        ("Hi @nobody", "Nobody here is called @nobody."),
    ],
)
def test_a_bad_post_is_refused_with_a_clear_message_and_nothing_saved(anna, body, message):
    response = signed_in(anna).post("/posts/new/", {"body": body, "audience": "organisation"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Post.objects.count() == 0


def test_markup_injection_never_reaches_the_page(anna):
    client = signed_in(anna)
    body = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"
    client.post("/posts/new/", {"body": body, "audience": "organisation"})
    page = client.get("/").content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(2)&gt;", ""
    )
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_network_post_is_not_found_for_a_stranger_on_every_page(anna, bjorn, carla):
    connect(anna, bjorn)
    post = post_on_board(anna, "Only my network #secretproject", audience=Audience.NETWORK)
    stranger = signed_in(carla)
    assert stranger.get(f"/posts/{post.pk}/").status_code == 404
    assert b"Only my network" not in stranger.get("/").content
    assert b"Only my network" not in stranger.get("/people/anna/").content
    assert b"Only my network" not in stranger.get("/tags/secretproject/").content
    assert stranger.post(f"/posts/{post.pk}/comments/", {"body": "hi"}).status_code == 404
    contact = signed_in(bjorn)
    assert contact.get(f"/posts/{post.pk}/").status_code == 200
    assert b"Only my network" in contact.get("/?filter=network").content


def test_posting_on_a_board_kept_to_contacts_is_forbidden_to_others(anna, carla):
    anna.board_visibility = Person.BoardVisibility.CONTACTS
    anna.save()
    response = signed_in(carla).post(
        "/posts/new/", {"body": "hello", "audience": "board", "board": "anna"}
    )
    assert response.status_code == 403
    assert "You may not post on this board." in response.content.decode()
    assert Post.objects.count() == 0
    assert b"Only contacts may see this board." in signed_in(carla).get("/people/anna/").content


def test_a_profile_shows_shared_contacts_and_the_path_to_a_stranger(make_person):
    viewer, middle, other, far = (make_person(n) for n in ["Ann V", "Mia M", "Olle O", "Fia F"])
    connect(viewer, middle)
    connect(middle, other)
    connect(other, far)
    page = signed_in(viewer).get("/people/olle.o/").content.decode()
    assert "You share 1 contact" in page
    assert "How you are connected:" in page and "Mia M" in page
    far_page = signed_in(viewer).get("/people/fia.f/").content.decode()
    assert "How you are connected:" in far_page and "Olle O" in far_page


def test_invitation_flow_through_the_pages(anna, bjorn):
    signed_in(anna).post("/people/bjorn/invite/", {"message": "Let's connect"})
    b = signed_in(bjorn)
    network = b.get("/network/").content.decode()
    assert "Let&#x27;s connect" in network or "Let's connect" in network
    invitation = bjorn.invitations_received.get()
    b.post(f"/invitations/{invitation.pk}/accept/")
    assert "You and Anna Lindqvist are now contacts." in b.get("/network/").content.decode()
    again = signed_in(anna).post("/people/anna/invite/", follow=True).content.decode()
    assert "You cannot invite yourself." in again


def test_the_directory_finds_people_by_name_and_tag_and_answers_htmx_with_results_only(anna, bjorn):
    client = signed_in(anna)
    client.post("/people/bjorn/tags/", {"tags": "wine, storage"})
    full = client.get("/people/", {"q": "bjø"}).content.decode()
    assert "Bjørn Hansen" in full and "<html" in full
    partial = client.get("/people/", {"tag": "wine"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Bjørn Hansen" in partial and "<html" not in partial and "Anna Lindqvist" not in partial


def test_a_person_removes_a_tag_a_colleague_gave_them(anna, bjorn):
    signed_in(bjorn).post("/people/anna/tags/", {"tags": "gossip"})
    client = signed_in(anna)
    assert "gossip" in client.get("/people/anna/").content.decode()
    client.post("/people/anna/tags/gossip/remove/")
    assert "gossip" not in client.get("/people/anna/").content.decode()


def test_stream_pages_continue_with_a_cursor(anna, monkeypatch):
    monkeypatch.setattr("kollega.posts.stream.STREAM_PAGE_ITEMS", 2)
    for n in range(5):
        post_on_board(anna, f"Post number {n}")
    client = signed_in(anna)
    home = client.get("/").content.decode()
    assert "Post number 4" in home and "Post number 3" in home and "Post number 2" not in home
    cursor = home.split("cursor=")[1].split('"')[0].split("&")[0]
    more = client.get("/stream/more/", {"cursor": cursor}).content.decode()
    assert "Post number 2" in more and "Post number 1" in more and "Post number 3" not in more
    assert client.get("/stream/more/", {"cursor": "garbage!"}).status_code == 400


def test_the_newer_banner_counts_threads_with_fresh_activity(anna, bjorn):
    first = post_on_board(anna, "First")
    from kollega.posts.stream import encode_cursor

    since = encode_cursor(first)
    post_on_board(bjorn, "Second")
    comment_on_post(bjorn, first, "A reply lifts the first again")
    banner = signed_in(anna).get("/stream/newer/", {"since": since}).content.decode()
    assert "2 threads with new activity" in banner


def test_notifications_show_an_unread_count_and_reading_clears_it(anna, bjorn):
    send_invitation(bjorn, anna, "hi")
    client = signed_in(anna)
    assert '<span class="count"' in client.get("/notifications/badge/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert "Bjørn Hansen invited you to their network" in page
    assert '<span class="count"' not in client.get("/notifications/badge/").content.decode()


def test_a_comment_notification_quotes_the_comment_not_the_post(anna, bjorn, carla):
    post = post_on_board(anna, "Which glasses for the tasting on Friday?")
    comment_on_post(bjorn, post, "Tulip glasses; @carla has the spittoons")
    for person, says in ((anna, "commented on your post"), (carla, "mentioned you")):
        page = signed_in(person).get("/notifications/").content.decode()
        assert f"Bjørn Hansen {says}" in page
        assert '<div class="excerpt">Tulip glasses; @carla has the spittoons</div>' in page
        assert '<div class="excerpt">Which glasses' not in page


def test_the_interface_speaks_swedish_and_norwegian(anna):
    client = signed_in(anna)
    client.post("/language/", {"language": "sv", "next": "/"})
    anna.refresh_from_db()
    assert anna.language == "sv"
    assert "Logga ut" in client.get("/").content.decode()
    client.post("/language/", {"language": "nb", "next": "/"})
    assert "Logg ut" in client.get("/").content.decode()
    assert client.post("/language/", {"language": "xx"}).status_code == 400


def test_the_recommend_button_toggles_through_htmx(anna, bjorn):
    post = post_on_board(anna, "Recommend me")
    client = signed_in(bjorn)
    on = client.post(f"/posts/{post.pk}/recommend/", HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-pressed="true"' in on and "· 1" in on
    off = client.post(
        f"/posts/{post.pk}/recommend/", {"action": "withdraw"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'aria-pressed="false"' in off


def test_a_generated_avatar_shows_initials(anna):
    svg = signed_in(anna).get("/people/anna/avatar.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b">AL</text>" in svg.content
