"""Blog entries, wiki pages and bookmarks are found, once each, only by those who may see them."""

import pytest

from kollega.communities.models import Community
from kollega.communities.services import create_community
from kollega.content.blogs.services import write_entry
from kollega.content.bookmarks.models import BookmarkAudience
from kollega.content.bookmarks.services import save_bookmark
from kollega.content.wikis.models import Page
from kollega.content.wikis.services import create_page, edit_page
from kollega.search.services import search

pytestmark = pytest.mark.django_db


def kinds_and_titles(results):
    return sorted((hit.document.kind, hit.document.title) for hit in results.hits)


def test_a_published_entry_is_found_once_as_an_entry_and_a_draft_not_at_all(anna, bjorn):
    write_entry(bjorn, "Sourdough diary, week one", "The starter bubbles.", publish=True)
    write_entry(bjorn, "Sourdough secrets (draft)", "Not yet.")
    assert kinds_and_titles(search(anna, "sourdough")) == [
        ("blog_entry", "Sourdough diary, week one")
    ]
    # The author finds their draft nowhere in search either: drafts are not documents.
    assert kinds_and_titles(search(bjorn, "secrets")) == []


def test_wiki_pages_follow_their_community_and_their_latest_text(anna, bjorn, carla):
    create_page(anna, None, "Espresso machine", "Descale it monthly.")
    secret = create_community(bjorn, "Tasting panel", kind=Community.Kind.RESTRICTED)
    create_page(bjorn, secret, "Espresso scores", "Blind tasting results.")
    assert kinds_and_titles(search(carla, "espresso")) == [("wiki_page", "Espresso machine")]
    assert len(search(bjorn, "espresso").hits) == 2
    page = search(carla, "espresso").hits[0].document
    wiki_page = Page.objects.get(pk=page.object_id)
    edit_page(
        carla,
        wiki_page,
        base_revision=wiki_page.current_revision.number,
        body="Descale it weekly with citric acid.",
    )
    assert kinds_and_titles(search(anna, "citric")) == [("wiki_page", "Espresso machine")]


def test_bookmarks_are_found_by_their_audience_only(anna, bjorn):
    save_bookmark(bjorn, "https://example.org/grinders", "Burr grinders compared", tags=["coffee"])
    save_bookmark(
        bjorn, "https://example.org/mine", "Grinders I want", audience=BookmarkAudience.PRIVATE
    )
    assert kinds_and_titles(search(anna, "grinders")) == [("bookmark", "Burr grinders compared")]
    assert len(search(bjorn, "grinders").hits) == 2


def test_a_page_colleagues_bookmarked_ranks_above_an_equal_one(anna, bjorn, carla, make_person):
    from django.utils import timezone

    from kollega.posts.services import post_on_board

    now = timezone.now()
    plain = post_on_board(bjorn, "Notes from the kombucha workshop", created_at=now)
    kept = post_on_board(bjorn, "Notes from the kombucha workshop", created_at=now)
    dag = make_person("Dag Berg", "dag")
    # Saved under two host names, one without the trailing slash: the same intranet page.
    save_bookmark(carla, f"https://intranet.example{kept.get_absolute_url()}", "Kombucha")
    save_bookmark(dag, f"http://kollega.local{kept.get_absolute_url().rstrip('/')}#c", "K")
    # A bookmark the searcher may not see does not count.
    save_bookmark(
        bjorn,
        f"https://intranet.example{plain.get_absolute_url()}",
        "Mine",
        audience=BookmarkAudience.PRIVATE,
    )
    results = search(anna, "workshop")
    posts = [hit for hit in results.hits if hit.document.kind == "post"]
    assert [hit.document.object_id for hit in posts] == [kept.pk, plain.pk]
    assert posts[0].parts["bookmarks"] == pytest.approx(1.585, abs=0.001)  # log2(1 + 2)
    assert posts[1].parts["bookmarks"] == 0


def test_a_page_many_saved_is_one_result_the_searchers_own_save_if_any(
    anna, bjorn, carla, make_person
):
    dag = make_person("Dag Berg", "dag")
    for person, title in ((bjorn, "Cold brew guide"), (carla, "Cold brew, the guide")):
        save_bookmark(person, "https://example.org/cold-brew", title)
    save_bookmark(dag, "https://example.org/cold-brew-kit", "Cold brew kit")
    results = search(anna, "cold brew")
    assert kinds_and_titles(results) == [
        ("bookmark", "Cold brew kit"),
        ("bookmark", "Cold brew, the guide"),  # the newest save of the page
    ]
    assert results.count == 2
    shared = next(h for h in results.hits if h.document.title == "Cold brew, the guide")
    assert shared.parts["bookmarks"] == 1  # log2(1 + one other colleague)
    # Having saved it myself, I see my own bookmark of it.
    save_bookmark(anna, "https://example.org/cold-brew/", "My cold brew notes")
    assert kinds_and_titles(search(anna, "cold brew")) == [
        ("bookmark", "Cold brew kit"),
        ("bookmark", "My cold brew notes"),
    ]
