"""The home stream's post cards: a question or blog entry is announced on its post,
and the page costs the same number of queries however many posts it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kollega.content.blogs.services import write_entry
from kollega.people.tests.factories import signed_in
from kollega.posts.services import comment_on_post, post_on_board
from kollega.qa.services.asking import ask_question

pytestmark = pytest.mark.django_db


def add_posts(author, commenter, n: int) -> None:
    """`n` rounds of a plain post with comments, a question and a blog entry."""
    for i in range(n):
        comment_on_post(commenter, post_on_board(author, f"Plain {i} #news"), f"Reply {i}")
        ask_question(author, f"Question number {i}?", tags=["wine"])
        write_entry(author, f"Entry number {i}", "Notes.", publish=True)


def test_cards_announce_questions_and_blog_entries_and_nothing_on_plain_posts(anna, bjorn):
    add_posts(anna, bjorn, 1)
    page = signed_in(bjorn).get("/").content.decode()
    assert page.count('class="question-summary"') == 1
    assert "Question number 0?" in page
    assert page.count('class="entry-summary"') == 1
    assert "Entry number 0" in page
    assert "Reply 0" in page


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_queries_for_three_posts_or_eighteen(anna, bjorn):
    client = signed_in(bjorn)
    add_posts(anna, bjorn, 1)
    few = count_queries(client)
    add_posts(anna, bjorn, 5)
    assert count_queries(client) == few


def test_card_links_are_the_models_own(anna, bjorn):
    post = post_on_board(anna, "Links #news")
    comment_on_post(bjorn, post, "A reply")
    page = signed_in(bjorn).get("/").content.decode()
    assert f'<a href="{anna.get_absolute_url()}" class="author">' in page
    assert f'<a href="{bjorn.get_absolute_url()}" class="author">' in page
    assert f'<a href="{post.get_absolute_url()}"><time' in page
    assert f'action="{reverse("recommend", args=[post.pk])}"' in page


def test_a_card_shows_the_last_three_comments(anna, bjorn):
    post = post_on_board(anna, "Busy thread #news")
    for i in range(5):
        comment_on_post(bjorn, post, f"Comment number {i}")
    page = signed_in(bjorn).get("/").content.decode()
    assert [i for i in range(5) if f"Comment number {i}" in page] == [2, 3, 4]
    assert "5 comments" in page


def test_a_card_reads_only_the_comments_it_shows(anna, bjorn):
    from kollega.posts.stream import home_stream

    busy = post_on_board(anna, "Busy thread #news")
    quiet = post_on_board(anna, "Quiet thread #news")
    for i in range(12):
        comment_on_post(bjorn, busy, f"Comment number {i}")
    comment_on_post(bjorn, quiet, "Only one")
    cards = {post.pk: post for post in home_stream(bjorn).posts}
    # However long the thread, a page holds three comments per post, the newest.
    assert [c.body for c in cards[busy.pk].card_comments] == [
        "Comment number 11", "Comment number 10", "Comment number 9"
    ]  # fmt: skip
    assert [c.body for c in cards[quiet.pk].card_comments] == ["Only one"]


def test_the_tag_page_cards_show_the_last_three_comments(anna, bjorn):
    post = post_on_board(anna, "Tagged thread #cellar")
    for i in range(5):
        comment_on_post(bjorn, post, f"Comment number {i}")
    page = signed_in(bjorn).get(reverse("tag", args=["cellar"])).content.decode()
    assert [i for i in range(5) if f"Comment number {i}" in page] == [2, 3, 4]
