"""`kollega listening ingest` over the real fixture feeds (rss-parser and feedjira test suites)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kollega.listening.models import Item, Source
from kollega.listening.tests.feeds import FEEDS, needs_feeds

pytestmark = pytest.mark.django_db


def ingest(*args) -> list[dict]:
    out = io.StringIO()
    call_command("listening", "ingest", *map(str, args), "--json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@needs_feeds
def test_every_fixture_feed_is_ingested_without_a_crash_and_again_without_duplicates():
    files = sorted(p for p in FEEDS.rglob("*") if p.is_file())

    answers = ingest(*files, "--source", "fixtures")

    assert [a["file"] for a in answers] == [str(p) for p in files]
    assert all(set(a) == {"file", "items", "error"} for a in answers)
    read = {p.name: a for p, a in zip(files, answers, strict=True)}
    # Well-formed feeds of every kind give their items.
    guardian = {"file": str(FEEDS / "rss-parser/guardian.rss"), "items": 55, "error": None}
    assert read["guardian.rss"] == guardian
    assert read["rss-1.rss"]["items"] == 69  # RSS 1.0 (RDF)
    assert read["heise.atom"]["items"] == 15  # Atom 1.0
    assert read["json_feed.json"]["items"] == 20  # JSON Feed
    assert read["giantbomb-podcast.rss"]["items"] == 730
    assert sum(1 for a in answers if a["items"]) >= 60
    # What cannot be read says why.
    assert read["unrecognized.rss"] == {
        "file": str(FEEDS / "rss-parser/unrecognized.rss"),
        "items": 0,
        "error": "This is an HTML page, not a feed (RSS, Atom or JSON Feed).",
    }
    fragment = read["TechCrunchFirstEntry.xml"]  # one entry, not a whole feed
    assert fragment["error"].startswith("Not a readable feed: malformed XML")
    stored = Item.objects.count()
    assert stored > 1500  # fewer than read: some fixture files repeat the same items

    assert ingest(*files, "--source", "fixtures") == answers  # idempotent
    assert Item.objects.count() == stored
    assert Source.objects.get().name == "fixtures"


@needs_feeds
def test_podcast_and_media_rss_fields_are_kept():
    ingest(FEEDS / "rss-parser/giantbomb-podcast.rss", FEEDS / "feedjira/youtube_atom.xml",
           "--source", "podcasts")  # fmt: skip

    episode = Item.objects.filter(extras__has_key="itunes_duration").first()
    video = Item.objects.filter(extras__has_key="media_thumbnail").first()
    assert episode is not None and episode.extras["enclosures"][0]["type"] == "audio/mpeg"
    assert video is not None and video.extras["media_thumbnail"][0]["url"].startswith("https://")


@needs_feeds
def test_json_feed_items_have_their_fields():
    ingest(FEEDS / "feedjira/json_feed.json", "--source", "json")

    item = Item.objects.order_by("pk").first()
    assert item.title == "James Dempsey and the Breakpoints Benefit App Camp for Girls"
    assert item.url == "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi"
    assert item.published is not None and item.content_html


def test_a_missing_file_and_a_garbage_file_are_reported_and_the_run_goes_on(tmp_path):
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"\x00\xff\xfe garbage")
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1",
                                "items": [{"id": "1", "content_text": "Hej <b>"}]}))  # fmt: skip

    answers = ingest(tmp_path / "missing.xml", garbage, empty, good, "--source", "mixed")

    assert [a["error"] for a in answers] == [
        "Cannot read the file: No such file or directory.",
        "Not a readable feed: malformed XML (<unknown>:2:0: not well-formed (invalid token)).",
        "JSON, but not a JSON Feed (no https://jsonfeed.org/version/… version).",
        None,
    ]
    assert Item.objects.get().content_html == "Hej &lt;b&gt;"


def test_a_source_name_too_long_is_refused_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="A source name is 1 to 100 characters."):
        ingest(tmp_path / "x.xml", "--source", "x" * 101)


def test_ingest_without_json_prints_a_line_per_file(tmp_path):
    out = io.StringIO()
    call_command("listening", "ingest", str(tmp_path / "nope.rss"), "--source", "s", stdout=out)
    missing = tmp_path / "nope.rss"
    assert out.getvalue() == f"{missing}: error: Cannot read the file: No such file or directory.\n"
