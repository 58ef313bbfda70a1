"""Polling sources from a real HTTP server on the loopback: feeds and bad answers."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kollega.limits import LISTENING_FETCH_MAX_REDIRECTS
from kollega.listening import fetching, services
from kollega.listening.models import Item, Source
from kollega.listening.tests.conftest import slow
from kollega.listening.tests.feeds import FEEDS, needs_feeds

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>News</title><link>https://news.example/</link>
<description>d</description>{items}</channel></rss>"""


def rss(*items: str) -> bytes:
    return RSS.format(items="".join(items)).encode()


def rss_item(guid: str, title: str = "A title", date: str | None = "Mon, 30 Nov 2026 10:00:00 GMT",
             body: str = "<p>Hello</p>") -> str:  # fmt: skip
    pub = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><guid>tag:news.example,2026:{guid}</guid><title>{title}</title><link>https://news.example/{guid}</link>"
        f"{pub}<description><![CDATA[{body}]]></description></item>"
    )


def feed_source(url: str, name: str = "news") -> Source:
    return Source.objects.create(name=name, url=url)


def polled(source: Source):
    outcome = services.poll_source(source)
    source.refresh_from_db()
    return outcome


@needs_feeds
def test_a_feed_polled_again_is_asked_for_conditionally_and_stores_nothing_twice(feed_server):
    url = feed_server.serve_file("/guardian.rss", FEEDS / "rss-parser" / "guardian.rss")
    source = feed_source(url)

    first = polled(source)
    assert (first.new, first.read, first.error) == (55, 55, "")
    assert source.etag and source.last_error == "" and source.last_success_at
    assert source.next_poll_at == source.last_polled_at + source.poll_interval

    second = polled(source)
    assert second.not_modified and second.new == 0
    assert feed_server.requests_to("/guardian.rss")[-1].headers["if-none-match"] == source.etag
    assert Item.objects.filter(source=source).count() == 55


def test_a_feed_without_validators_polled_twice_keeps_each_item_once(feed_server):
    url = feed_server.route("/plain.rss", rss(rss_item("a"), rss_item("b")))
    source = feed_source(url)
    assert polled(source).new == 2
    feed_server.route("/plain.rss", rss(rss_item("c"), rss_item("a", title="A title, edited")))

    again = polled(source)

    assert (again.new, again.read) == (1, 2)
    assert sorted(source.items.values_list("external_id", flat=True)) == [
        "tag:news.example,2026:a",
        "tag:news.example,2026:b",
        "tag:news.example,2026:c",
    ]
    assert source.items.get(external_id__endswith=":a").title == "A title, edited"


def test_last_modified_is_sent_back_as_if_modified_since(feed_server):
    stamp = "Mon, 30 Nov 2026 10:00:00 GMT"

    def answer(request):
        if request.headers.get("if-modified-since") == stamp:
            return 304, {}, b""
        return (
            200,
            {"Last-Modified": stamp, "Content-Type": "application/rss+xml"},
            rss(rss_item("a")),
        )

    source = feed_source(feed_server.route("/lm.rss", answer))
    polled(source)
    assert polled(source).not_modified
    assert source.last_notes == "Not modified since the last poll."


def test_redirects_are_followed_a_few_times_and_an_endless_loop_is_recorded(feed_server):
    feed_server.route("/feed.rss", rss(rss_item("a")))
    feed_server.route("/moved", (301, {"Location": "/feed.rss"}, b""))
    feed_server.route("/loop", (302, {"Location": "/loop"}, b""))
    moved = feed_source(feed_server.url("/moved"))
    loop = feed_source(feed_server.url("/loop"), "loop")

    assert polled(moved).new == 1

    outcome = polled(loop)
    assert outcome.error.startswith(f"More than {LISTENING_FETCH_MAX_REDIRECTS} redirects")
    assert loop.last_error == outcome.error and loop.consecutive_errors == 1
    assert len(feed_server.requests_to("/loop")) == LISTENING_FETCH_MAX_REDIRECTS + 1


def test_a_server_that_does_not_answer_in_time_is_recorded(feed_server, monkeypatch):
    monkeypatch.setattr(fetching, "TIMEOUT_SECONDS", 0.3)
    source = feed_source(feed_server.route("/slow.rss", slow(2, rss(rss_item("a")))))

    outcome = polled(source)

    assert outcome.error == "No answer within 0.3 seconds from 127.0.0.1."
    assert source.last_error == outcome.error and source.items.count() == 0


def _fifty_megabytes():
    chunk = b"<item>" + b"x" * (64 * 1024 - 13) + b"</item>\n"
    for _ in range(50 * 1024 * 1024 // len(chunk)):
        yield chunk


def test_a_50_mb_answer_is_cut_at_the_size_limit(feed_server):
    source = feed_source(
        feed_server.route("/huge.rss", (200, {"Content-Type": "text/xml"}, _fifty_megabytes()))
    )

    outcome = polled(source)

    assert outcome.error == "The answer is larger than 10 MB; stopped reading."
    assert source.last_error == outcome.error
    # Kollega stopped reading: the server could not send much more than the limit.
    assert feed_server.bytes_sent < 20 * 1024 * 1024


def test_an_answer_announcing_more_than_the_limit_is_not_read_at_all(feed_server):
    def announced(request):
        return 200, {"Content-Length": str(50 * 1024 * 1024)}, [b"<rss>"]

    source = feed_source(feed_server.route("/announced.rss", announced))

    assert polled(source).error == (
        "The answer is larger than 10 MB (it announced 52,428,800 bytes); stopped reading."
    )


@needs_feeds
def test_an_html_page_instead_of_a_feed_is_recorded_as_such(feed_server):
    page = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>Hi</body></html>"
    source = feed_source(feed_server.route("/page", (200, {"Content-Type": "text/html"}, page)))
    moved = feed_source(
        feed_server.serve_file("/moved.rss", FEEDS / "rss-parser" / "unrecognized.rss"), "moved"
    )

    assert polled(source).error == "This is an HTML page, not a feed (RSS, Atom or JSON Feed)."
    assert polled(moved).error == "This is an HTML page, not a feed (RSS, Atom or JSON Feed)."


def test_malformed_xml_is_recorded_backs_off_and_keeps_what_was_stored(feed_server):
    source = feed_source(feed_server.route("/news.rss", rss(rss_item("a"), rss_item("b"))))
    polled(source)
    feed_server.route("/news.rss", b'<?xml version="1.0"?>\n<rss version="2.0"><<<<>>>')

    first = polled(source)
    first_next = source.next_poll_at - source.last_polled_at
    second = polled(source)
    second_next = source.next_poll_at - source.last_polled_at

    assert first.error.startswith("Not a readable feed: malformed XML")
    assert source.consecutive_errors == 2 and source.last_error == second.error
    assert first_next == 2 * source.poll_interval and second_next == 4 * source.poll_interval
    assert source.items.count() == 2  # nothing stored is lost
    feed_server.route("/news.rss", rss(rss_item("a")))
    assert polled(source).error == ""
    assert (source.consecutive_errors, source.last_error) == (0, "")


@needs_feeds
def test_a_feed_in_another_encoding_than_declared_is_read_and_noted(feed_server):
    url = feed_server.serve_file("/uol.rss", FEEDS / "rss-parser" / "uolNoticias.rss")
    source = feed_source(url)

    assert polled(source).new == 15
    assert "encoding was wrong or undeclared" in source.last_notes
    assert source.items.filter(title__contains="ã").exists()  # windows-1252 read as such


def test_duplicate_guids_in_one_feed_store_one_item(feed_server):
    source = feed_source(
        feed_server.route("/dup.rss", rss(rss_item("same", "First"), rss_item("same", "Second")))
    )

    assert polled(source).new == 1
    assert source.items.get().title == "First"


def test_items_without_a_date_or_dated_in_the_future_get_the_time_first_seen(feed_server):
    source = feed_source(
        feed_server.route(
            "/dates.rss",
            rss(
                rss_item("none", date=None),
                rss_item("future", date="Fri, 01 Jan 2100 00:00:00 GMT"),
            ),
        )
    )
    before = timezone.now()

    polled(source)

    none = source.items.get(external_id__endswith=":none")
    future = source.items.get(external_id__endswith=":future")
    assert before <= none.published <= timezone.now()
    assert before <= future.published <= timezone.now()
    assert future.extras["published_as_given"] == "2100-01-01T00:00:00+00:00"
    assert "1 item(s) had no date" in source.last_notes
    assert "1 item(s) were dated in the future" in source.last_notes


def test_a_not_found_feed_is_recorded_with_the_servers_status(feed_server):
    source = feed_source(feed_server.url("/gone.rss"))
    assert polled(source).error == "The server answered 404 Not Found."


def test_one_bad_source_never_stops_the_poll_of_the_others(feed_server):
    bad = feed_source(feed_server.route("/bad", b"garbage"), "a-bad")
    good = feed_source(feed_server.route("/good.rss", rss(rss_item("a"))), "b-good")
    later = feed_source(feed_server.route("/later.rss", rss(rss_item("z"))), "c-later")
    Source.objects.filter(pk=later.pk).update(next_poll_at=timezone.now() + timedelta(hours=1))

    outcomes = services.poll_due_sources()

    assert [o.source for o in outcomes] == ["a-bad", "b-good"]
    bad.refresh_from_db()
    assert bad.last_error and good.items.count() == 1 and later.items.count() == 0


def test_relative_links_are_made_absolute_from_the_feeds_address_or_dropped(feed_server, tmp_path):
    body = '<p><a href="/posts/1">ours</a> <a href="//other.example/x">theirs</a></p>'
    url = feed_server.route("/rel/feed.rss", rss(rss_item("a", body=body)))
    source = feed_source(url)
    polled(source)
    html = source.items.get().content_html
    assert f'<a href="{feed_server.url("/posts/1")}" rel=' in html

    ingested = Source.objects.create(name="saved")
    saved = tmp_path / "saved.rss"
    saved.write_bytes(rss(rss_item("a", body=body)))
    services.ingest_file(ingested, saved)
    assert ingested.items.get().content_html == (
        '<p><a rel="noopener noreferrer nofollow">ours</a> '
        '<a rel="noopener noreferrer nofollow">theirs</a></p>'
    )


def test_external_html_keeps_only_the_markdown_subset(feed_server):
    hostile = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a> <a href="https://ok.example" '
        'class="mention">ok</a></p><script>alert(1)</script><iframe src="https://e.example">'
        '</iframe><form action="/x"><input name="p"></form>'
        '<img src="https://tracker.example/p.gif" width="1" height="1"><strong>bold</strong>'
    )
    source = feed_source(feed_server.route("/x.rss", rss(rss_item("a", body=hostile))))

    polled(source)

    html = source.items.get().content_html
    for forbidden in ("onclick", "javascript:", "<script", "<iframe", "<form", "<input", "<img",
                      "tracker.example", "class="):  # fmt: skip
        assert forbidden not in html
    assert '<a href="https://ok.example" rel="noopener noreferrer nofollow">ok</a>' in html
    assert "<strong>bold</strong>" in html


def test_external_images_become_links_the_reader_s_browser_never_loads(feed_server):
    body = (
        '<p>Look <img src="https://cdn.example/a/launch.jpg" alt="Our launch" '
        'onerror="steal()"> and <IMG SRC=https://cdn.example/b/chart.png> and '
        '<img src="javascript:alert(1)" alt="bad"></p>'
    )
    source = feed_source(feed_server.route("/i.rss", rss(rss_item("a", body=body))))

    polled(source)

    html = source.items.get().content_html
    assert "<img" not in html.lower() and "onerror" not in html and "javascript:" not in html
    assert (
        '<a href="https://cdn.example/a/launch.jpg" rel="noopener noreferrer nofollow">'
        "[Our launch]</a>" in html
    )
    assert (
        '<a href="https://cdn.example/b/chart.png" rel="noopener noreferrer nofollow">'
        "[chart.png]</a>" in html
    )


def test_the_poll_command_polls_every_source_or_the_one_named(feed_server):
    feed_source(feed_server.route("/a.rss", rss(rss_item("a"))), "alpha")
    feed_source(feed_server.url("/missing.rss"), "beta")
    out = io.StringIO()

    call_command("listening", "poll", stdout=out)

    assert out.getvalue() == (
        "alpha: 1 new of 1 read\nbeta: error: The server answered 404 Not Found.\n"
    )
    out = io.StringIO()
    call_command("listening", "poll", "--source", "alpha", stdout=out)
    assert out.getvalue() == "alpha: 0 new of 1 read\n"
    with pytest.raises(CommandError, match="No listening source is called 'gamma'"):
        call_command("listening", "poll", "--source", "gamma")


def test_the_periodic_schedule_polls_due_sources(feed_server):
    from kollega.ops.schedule import run_due_jobs, sync_schedule

    source = feed_source(feed_server.route("/due.rss", rss(rss_item("a"))))
    sync_schedule()

    assert "poll-listening-sources" in run_due_jobs()  # tasks run at once in the tests
    assert source.items.count() == 1
