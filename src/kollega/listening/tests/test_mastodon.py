"""Mastodon timelines read through the REST API of a Mastodon-shaped server on the loopback."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kollega.listening import services
from kollega.listening.models import Source
from kollega.listening.tests.conftest import Timeline, status

pytestmark = pytest.mark.django_db

TAG_PATH = "/api/v1/timelines/tag/kollega"


def tag_source(feed_server, **fields) -> Source:
    return Source.objects.create(
        name="mastodon",
        kind=Source.Kind.MASTODON_TAG,
        url=feed_server.url(""),
        target="#kollega",
        **fields,
    )


def polled(source):
    outcome = services.poll_source(source)
    source.refresh_from_db()
    return outcome


def test_a_hashtag_timeline_starts_from_now_then_pages_down_to_what_was_read(feed_server):
    statuses = [status(n) for n in range(1, 61)]
    feed_server.route(TAG_PATH, Timeline(feed_server, TAG_PATH, statuses))
    source = tag_source(feed_server)

    first = polled(source)
    assert (first.new, source.since_id) == (40, "60")  # one page: the newest 40

    statuses += [status(n) for n in range(61, 151)]  # 90 new since: three pages
    second = polled(source)

    assert (second.new, second.read, source.since_id) == (90, 90, "150")
    asked = feed_server.requests_to(TAG_PATH)[1:]
    assert [r.query.get("max_id") for r in asked] == [None, "111", "71"]
    assert {r.query["since_id"] for r in asked} == {"60"}
    assert source.items.count() == 130
    assert polled(source).new == 0  # nothing new: nothing stored twice


def test_a_status_keeps_its_author_counts_tags_and_media_and_loses_its_scripts(feed_server):
    media = [
        {"id": "1", "type": "image", "url": "https://files.example/a.png",
         "preview_url": "https://files.example/a_s.png", "description": "A chart"}
    ]  # fmt: skip
    hostile = status(7, media_attachments=media, content="<p>Hi<script>x()</script></p>")
    feed_server.route(TAG_PATH, Timeline(feed_server, TAG_PATH, [hostile]))
    source = tag_source(feed_server)

    polled(source)

    item = source.items.get()
    assert (item.external_id, item.url) == ("7", "https://mastodon.example/@alice/7")
    assert item.author == "Alice Example (@alice@mastodon.example)"
    assert (item.boosts, item.favourites, item.replies) == (0, 2, 1)
    assert item.extras["tags"] == ["kollega"]
    assert item.extras["media"][0]["description"] == "A chart"
    assert item.content_html == "<p>Hi</p>"
    assert item.published.isoformat() == "2026-12-01T10:07:00+00:00"


def test_the_access_token_is_sent_as_a_bearer_token(feed_server):
    feed_server.route(TAG_PATH, Timeline(feed_server, TAG_PATH, [status(1)]))
    source = tag_source(feed_server, access_token="secret-token")

    polled(source)

    assert feed_server.requests_to(TAG_PATH)[0].headers["authorization"] == "Bearer secret-token"


def test_an_account_named_by_its_handle_is_looked_up_then_read(feed_server):
    feed_server.route(
        "/api/v1/accounts/lookup",
        lambda request: (
            200,
            {},
            json.dumps({"id": "109", "acct": request.query["acct"]}).encode(),
        ),  # noqa: E501
    )
    path = "/api/v1/accounts/109/statuses"
    feed_server.route(path, Timeline(feed_server, path, [status(1), status(2)]))
    source = Source.objects.create(
        name="alice", kind=Source.Kind.MASTODON_ACCOUNT, url=feed_server.url("/"), target="@alice"
    )

    assert polled(source).new == 2
    assert feed_server.requests_to("/api/v1/accounts/lookup")[0].query["acct"] == "alice"


def test_the_public_timeline_is_read(feed_server):
    path = "/api/v1/timelines/public"
    feed_server.route(path, Timeline(feed_server, path, [status(1)]))
    source = Source.objects.create(
        name="public", kind=Source.Kind.MASTODON_PUBLIC, url=feed_server.url("")
    )
    assert polled(source).new == 1


def test_a_rate_limit_is_respected_and_what_was_read_before_is_kept(feed_server):
    statuses = [status(n) for n in range(1, 41)]
    timeline = Timeline(feed_server, TAG_PATH, statuses)
    feed_server.route(TAG_PATH, timeline)
    source = tag_source(feed_server)
    polled(source)
    statuses += [status(n) for n in range(41, 101)]

    def limited(request):
        if "max_id" in request.query:  # the second page
            return 429, {"Retry-After": "3600"}, b'{"error":"Too many requests"}'
        return timeline(request)

    feed_server.route(TAG_PATH, limited)
    outcome = polled(source)

    assert outcome.error == (
        "Rate limited: the server answered 429 Too Many Requests; asked to wait 3600 seconds."
    )
    assert source.last_error == outcome.error
    assert source.next_poll_at >= timezone.now() + timedelta(minutes=59)
    assert source.items.count() == 80  # the first page of the poll is stored
    assert source.since_id == "40"  # not moved: the next poll reads the rest


def test_a_mastodon_error_answer_is_recorded(feed_server):
    feed_server.route(TAG_PATH, (401, {}, b'{"error":"This method requires a signed-in user"}'))
    source = tag_source(feed_server)

    assert polled(source).error == "The server answered 401 Unauthorized."
