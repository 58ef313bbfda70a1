from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.content.bookmarks import netscape, services
from kollega.content.bookmarks.models import Bookmark, BookmarkAudience
from kollega.network.services import connect
from kollega.permissions import NotFound

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, scheme",
    [
        ("javascript:alert(document.cookie)", "javascript"),
        ("  JavaScript:alert(1)", "javascript"),
        ("data:text/html;base64,PHNjcmlwdD4=", "data"),
        ("file:///etc/passwd", "file"),
    ],
)
def test_a_link_that_is_not_a_web_page_is_refused_clearly(anna, url, scheme):
    with pytest.raises(ValidationError) as error:
        services.save_bookmark(anna, url, "Evil")
    assert f"not “{scheme}:” links" in error.value.messages[0]
    assert not Bookmark.objects.exists()


def test_over_long_fields_are_refused(anna):
    with pytest.raises(ValidationError, match="address is too long"):
        services.save_bookmark(anna, "https://example.org/" + "a" * 2000)
    with pytest.raises(ValidationError, match="title is too long"):
        services.save_bookmark(anna, "https://example.org/", "t" * 301)
    with pytest.raises(ValidationError, match="notes are too long"):
        services.save_bookmark(anna, "https://example.org/", "T", "n" * 5001)
    assert not Bookmark.objects.exists()


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://Intranet.example.com/wiki/", "http://intranet.example.com/wiki"),
        ("https://www.example.org/a?b=2&a=1", "https://example.org/a?a=1&b=2&utm_source=mail"),
        ("https://example.org:443/x#section", "https://example.org/x"),
        ("example.org/docs", "https://example.org/docs/"),
    ],
)
def test_spellings_of_the_same_page_are_one_page(a, b):
    assert services.normalise_url(services.checked_url(a)) == services.normalise_url(
        services.checked_url(b)
    )


def test_different_pages_stay_different():
    assert services.url_key("https://example.org/a") != services.url_key("https://example.org/b")
    assert services.url_key("https://example.org/?q=1") != services.url_key("https://example.org/")


def test_saving_a_page_twice_updates_it(anna):
    first = services.save_bookmark(anna, "https://example.org/", "Old", tags=["a"])
    second = services.save_bookmark(anna, "https://EXAMPLE.org", "New", tags=["b"])
    assert first.pk == second.pk and Bookmark.objects.count() == 1
    assert second.title == "New" and [t.name for t in second.tags.all()] == ["b"]


def test_saved_by_counts_only_bookmarks_the_viewer_may_see(anna, bjorn, carla, make_person):
    dag = make_person("Dag Berg", "dag")
    connect(anna, bjorn)
    url = "https://wiki.example.com/onboarding"
    mine = services.save_bookmark(anna, url, "Onboarding", audience="organisation")
    services.save_bookmark(bjorn, url + "/", "Onboarding", audience="network")
    services.save_bookmark(carla, url + "#top", "Onboarding", audience="private")
    services.save_bookmark(
        dag, "http://wiki.example.com/onboarding", "Onb", audience="organisation"
    )
    assert services.saved_by_counts(anna, [mine.url_key]) == {mine.url_key: 3}  # not Carla's
    assert services.saved_by_counts(carla, [mine.url_key]) == {mine.url_key: 3}  # Anna, Dag, own
    assert services.saved_by_counts(dag, [mine.url_key]) == {mine.url_key: 2}
    others = {b.person.handle for b in services.who_else_saved(anna, url)}
    assert others == {"bjorn", "dag"}


def test_community_bookmarks_need_membership_and_stay_inside_restricted(anna, bjorn, carla):
    club = communities.create_community(bjorn, "Secret", kind=Community.Kind.RESTRICTED)
    with pytest.raises(PermissionDenied):
        services.save_bookmark(anna, "https://example.org/", community=club)
    saved = services.save_bookmark(bjorn, "https://example.org/", "Plan", community=club)
    assert saved.audience == BookmarkAudience.COMMUNITY
    with pytest.raises(NotFound):
        services.visible_bookmark(carla, saved.pk)
    assert list(services.bookmarks_of(carla, bjorn)) == []
    assert [p.bookmark for p in services.popular_in_community(bjorn, club)] == [saved]
    assert services.popular_in_community(carla, club) == []


def test_popular_in_a_community_counts_saves_of_the_same_page(anna, bjorn, carla):
    club = communities.create_community(bjorn, "Open club")
    for person in (anna, carla):
        communities.join_community(person, club)
    for person in (anna, bjorn, carla):
        services.save_bookmark(person, "https://docs.example.org/guide", "Guide", community=club)
    services.save_bookmark(anna, "https://example.org/once", "Once", community=club)
    popular = services.popular_in_community(anna, club)
    assert [(p.bookmark.title, p.saves) for p in popular] == [("Guide", 3), ("Once", 1)]


def test_only_the_owner_changes_or_deletes(anna, bjorn):
    saved = services.save_bookmark(anna, "https://example.org/", "Mine")
    with pytest.raises(PermissionDenied):
        services.edit_bookmark(bjorn, saved, url="https://example.org/", title="Theirs")
    with pytest.raises(PermissionDenied):
        services.delete_bookmark(bjorn, saved)
    services.delete_bookmark(anna, saved)
    assert not Bookmark.objects.exists()


# A browser's export, as Firefox writes it (long lines and all).
FIREFOX = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>
<DL><p>
    <DT><H3 ADD_DATE="1700000000" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks Toolbar</H3>
    <DL><p>
        <DT><A HREF="https://intranet.example.com/expenses" ADD_DATE="1700000100" TAGS="Finance,how to">Expenses &amp; travel</A>
        <DD>Where receipts go.
Two lines of notes.
        <DT><A HREF="javascript:void(location.href='x')">A bookmarklet</A>
    </DL><p>
    <DT><H3>Team Wiki</H3>
    <DL><p>
        <DT><A HREF="https://wiki.example.com/onboarding">Onboarding</A>
    </DL><p>
</DL><p>
"""  # noqa: E501


def test_import_reads_tags_folders_notes_and_dates_and_skips_bookmarklets(anna):
    report = services.import_bookmarks(anna, FIREFOX.encode())
    assert report.saved == 2 and report.already_saved == 0
    assert report.skipped == [(12, "javascript:void(location.href='x')")]
    expenses = Bookmark.objects.get(title="Expenses & travel")
    assert expenses.notes == "Where receipts go.\nTwo lines of notes."
    assert {t.name for t in expenses.tags.all()} == {"finance", "how-to"}
    assert expenses.created_at == datetime.fromtimestamp(1700000100, tz=UTC)
    assert expenses.audience == BookmarkAudience.PRIVATE
    onboarding = Bookmark.objects.get(title="Onboarding")
    assert [t.name for t in onboarding.tags.all()] == ["team-wiki"]
    again = services.import_bookmarks(anna, FIREFOX)
    assert again.saved == 0 and again.already_saved == 2


@pytest.mark.parametrize(
    "content, line, problem",
    [
        ("<html><body>Not bookmarks</body></html>", 1, "not a bookmark file"),
        (FIREFOX.replace('<A HREF="https://wiki.example.com/onboarding">', "<A>"), 16, "HREF"),
        (FIREFOX.replace('ADD_DATE="1700000100"', 'ADD_DATE="yesterday"'), 9, "ADD_DATE"),
        (FIREFOX.replace("</DL><p>\n</DL><p>", "</DL><p>\n"), 6, "never closed"),
        (
            FIREFOX.replace(
                "https://wiki.example.com/onboarding", "https://" + "x" * 2000 + ".example/"
            ),
            16,
            "too long",
        ),
        (FIREFOX.replace("Where receipts go.", "n" * 6000), 9, "notes are too long"),
    ],
)
def test_a_bad_file_names_the_line_and_imports_nothing(anna, content, line, problem):
    with pytest.raises(ValidationError) as error:
        services.import_bookmarks(anna, content)
    message = error.value.messages[0]
    assert message.startswith(f"Line {line}:") and problem in message, message
    assert "Nothing was imported" in message
    assert not Bookmark.objects.exists()


def test_export_round_trips_through_import(anna, bjorn):
    services.save_bookmark(
        anna,
        "https://example.org/a?x=1&y=<2>",
        'Quotes "and" <angles> & ampersands',
        "Notes with <b>markup</b>\nand a second line",
        tags=["one", "two"],
        audience="private",
    )
    services.save_bookmark(anna, "https://intranet.example.com/", "Intranet")
    exported = services.export_bookmarks(anna)
    assert exported.startswith(netscape.DOCTYPE)
    report = services.import_bookmarks(bjorn, exported, audience="organisation")
    assert report.saved == 2
    assert {b.title: b.audience for b in Bookmark.objects.filter(person=bjorn)} == {
        'Quotes "and" <angles> & ampersands': "private",
        "Intranet": "organisation",
    }

    def shape(person):
        return sorted(
            (b.url, b.title, b.notes, tuple(t.name for t in b.tags.all()), b.created_at)
            for b in Bookmark.objects.filter(person=person)
        )

    mine = [(u, t, n, tags, c.replace(microsecond=0)) for u, t, n, tags, c in shape(anna)]
    assert shape(bjorn) == mine
    assert sorted(services.export_bookmarks(bjorn).split("\n")[8:]) == sorted(
        exported.split("\n")[8:]
    )


def test_an_imported_title_loses_its_direction_controls_where_a_typed_one_is_refused(anna):
    page = FIREFOX.replace(">Expenses &amp; travel<", ">\u202bExpenses &amp; travel\u202c<")
    assert page != FIREFOX
    services.import_bookmarks(anna, page.encode(), audience="private")
    assert Bookmark.objects.filter(title="Expenses & travel").exists()
    with pytest.raises(ValidationError, match="direction controls"):
        services.save_bookmark(anna, "https://example.com/", "\u202bExpenses\u202c")
