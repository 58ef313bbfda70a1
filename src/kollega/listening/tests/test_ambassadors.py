"""Colleagues' own accounts outside (ambassadors): added on their settings page, read like
sources, counted when they name the brand and products, never put in the inbox."""

import json

import pytest

from kollega.listening import ambassadors, services
from kollega.listening.models import ExternalAccount, Mention, Source, Term
from kollega.listening.tests.conftest import Timeline, status
from kollega.people.tests.factories import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "address", "says"),
    [
        ("mastodon", "dag", "A Mastodon handle looks like @name@server.example."),
        ("mastodon", "@dag@localhost", "A Mastodon handle looks like @name@server.example."),
        ("mastodon", "@d a g@social.example", "A Mastodon handle looks like"),
        ("mastodon", "@dag@social.example/../x", "A Mastodon handle looks like"),
        ("feed", "javascript:alert(1)", "A blog feed is its web address"),
        ("feed", "ftp://blog.example/feed", "A blog feed is its web address"),
        ("feed", "https://", "A blog feed is its web address"),
        ("feed", "blog.example/feed", "A blog feed is its web address"),
        ("twitter", "@dag", "Choose a Mastodon account or a blog feed."),
    ],
)
def test_a_bad_handle_or_feed_says_how_it_should_look_and_saves_nothing(dag, kind, address, says):
    browser = signed_in(dag)

    answer = browser.post("/settings/accounts/add/", {"kind": kind, "address": address},
                          follow=True)  # fmt: skip

    assert says in answer.content.decode()
    assert not ExternalAccount.objects.exists() and not Source.objects.exists()


def test_the_same_account_twice_or_too_many_are_refused(dag):
    ambassadors.add_account(dag, "mastodon", "dag@Social.Example")
    with pytest.raises(Exception, match="already added"):
        ambassadors.add_account(dag, "mastodon", "@dag@social.example")
    for n in range(4):
        ambassadors.add_account(dag, "feed", f"https://blog.example/{n}.xml")
    with pytest.raises(Exception, match="At most 5 accounts"):
        ambassadors.add_account(dag, "feed", "https://blog.example/5.xml")
    assert ExternalAccount.objects.count() == 5


def test_an_added_handle_is_read_as_a_mastodon_account_source(dag):
    signed_in(dag).post(
        "/settings/accounts/add/", {"kind": "mastodon", "address": "@dag@social.example"}
    )

    account = ExternalAccount.objects.get()
    assert (account.person, account.address) == (dag, "@dag@social.example")
    source = account.source
    assert (source.kind, source.url, source.target) == (
        "mastodon-account",
        "https://social.example",
        "dag@social.example",
    )
    page = signed_in(dag).get("/settings/accounts/").content.decode()
    assert "@dag@social.example" in page and "not read yet" in page


def test_someone_else_s_account_cannot_be_removed(dag, eva):
    account = ambassadors.add_account(dag, "feed", "https://blog.example/feed.xml")

    assert signed_in(eva).post(f"/settings/accounts/{account.pk}/remove/").status_code == 404
    signed_in(dag).post(f"/settings/accounts/{account.pk}/remove/")

    assert not ExternalAccount.objects.exists() and not Source.objects.exists()


def test_ambassadors_are_counted_by_posts_naming_us_and_how_far_they_travelled(
    dag, eva, feed_server
):
    Term.objects.create(phrase="kollega", kind=Term.Kind.BRAND)
    Term.objects.create(phrase="workplace", kind=Term.Kind.COMPETITOR)
    account = ambassadors.add_account(dag, "mastodon", "@dag@social.example")
    Source.objects.filter(pk=account.source_id).update(url=feed_server.url(""))
    feed_server.route(
        "/api/v1/accounts/lookup",
        (200, {"Content-Type": "application/json"}, json.dumps({"id": "77"}).encode()),
    )
    about_us = status(6)  # names #kollega: 6 boosts, 1 favourite, 0 replies
    about_them = status(9, content="<p>workplace is down</p>")
    path = "/api/v1/accounts/77/statuses"
    feed_server.route(path, Timeline(feed_server, path, [about_us, about_them]))

    outcome = services.poll_source(Source.objects.get(pk=account.source_id))

    assert outcome.new == 2 and not outcome.error
    assert not Mention.objects.exists()  # a colleague's own post is counted, not answered
    [row] = ambassadors.leading_ambassadors()
    assert (row["person"], row["items"], row["boosts"], row["favourites"], row["replies"]) == (
        dag, 1, 6, 1, 0
    )  # fmt: skip
    page = signed_in(eva).get("/settings/accounts/").content.decode()
    assert "Colleagues who speak for us most" in page and "Dag Berg" in page
