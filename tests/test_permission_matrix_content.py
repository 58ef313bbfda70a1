"""Who may see a blog entry (and its feed) and a bookmark, on every read path, against
explicit tables — the permission matrix of `test_permission_matrix.py` extended to
blogs and bookmarks.

The rules (kollega/permissions/blogs.py and bookmarks.py):

- a published entry: whoever may see its post (organisation, network, community);
- a draft or a scheduled entry: its author alone, also on a community's blog;
- a bookmark: private (its owner), network (owner and contacts), organisation (every
  colleague), community (as a community post);
- a deactivated colleague sees nothing; a restricted community's entries and
  bookmarks only its current members (not even an author who was removed).

The cast is the one of the post matrix (tests/permission_cast.py, the `cast` and
`c_cast` fixtures): the author Anna writes every entry and bookmark, and the board
owner Bjørn and his contact Dag are two more colleagues who are not Anna's contacts.

Each read path is a function (viewer, thing) -> seen?. Paths that list only
published entries (streams, feeds, public lists) see no draft, by design: they are
marked, and for drafts their whole row is "no".
"""

import base64
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from permission_cast import (
    C_CASES,
    C_WHO,
    READS,
    WHO,
    N,
    Y,
    after_the_changes,
    make_community,
    reaches,
)

from kollega.content.blogs import services as blogs
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks import services as bookmarks
from kollega.content.bookmarks.models import Bookmark
from kollega.people.models import Person
from kollega.people.tests.factories import PASSWORD, signed_in
from kollega.permissions.blogs import can_see_entry
from kollega.permissions.bookmarks import can_see_bookmark
from kollega.posts.stream import home_stream

pytestmark = pytest.mark.django_db


def row(*seen: bool) -> dict[str, bool]:
    return dict(zip(WHO, seen, strict=True))


def _page_shows(viewer: Person, url: str, text: str) -> bool:
    response = signed_in(viewer).get(url)
    assert response.status_code in (200, 302, 404)
    return response.status_code == 200 and text in response.content.decode()


def _api(viewer: Person, path: str, params=None):
    # The session works for GET without a token; a deactivated account gets 401.
    return signed_in(viewer).get("/api/v1" + path, params or {})


def _api_lists(viewer: Person, path: str, pk: int) -> bool:
    response = _api(viewer, path)
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200 and pk in [i["id"] for i in response.json()["items"]]


def _feed_titles(viewer: Person, url: str) -> list[str]:
    """The feed as a feed reader fetches it: HTTP Basic with user name and password."""
    basic = base64.b64encode(f"{viewer.user.username}:{PASSWORD}".encode()).decode()
    response = Client(headers={"Authorization": f"Basic {basic}"}).get(url)
    assert response.status_code in (200, 401, 404)
    return response.content.decode() if response.status_code == 200 else ""


# --- Entries on a person's blog ---------------------------------------------------------------

ENTRY_CASES = ("draft", "scheduled", "organisation", "network")

# fmt: off
ENTRY_EXPECTED = {
    #                   auth  b.own a.con b.con stran f.con deact
    "draft":        row(Y,    N,    N,    N,    N,    N,    N),
    "scheduled":    row(Y,    N,    N,    N,    N,    N,    N),
    "organisation": row(Y,    Y,    Y,    Y,    Y,    Y,    N),
    "network":      row(Y,    N,    Y,    N,    N,    N,    N),
}
# fmt: on

TITLE = "Matrix entry title"


def make_entry(cast, case: str) -> BlogEntry:
    author = cast["author"]
    if case == "draft":
        entry = blogs.write_entry(author, TITLE, "Matrix body.")
    elif case == "scheduled":
        later = timezone.now() + timedelta(days=1)
        entry = blogs.write_entry(author, TITLE, "Matrix body.", publish_at=later)
    else:
        entry = blogs.write_entry(author, TITLE, "Matrix body.", audience=case, publish=True)
    return entry


def _entry_page(viewer, entry):
    return _page_shows(viewer, f"/blogs/entries/{entry.pk}/", TITLE)


def _blog_page(viewer, entry):
    return _page_shows(viewer, entry.blog_url(), TITLE)


def _api_entry(viewer, entry):
    response = _api(viewer, f"/blog-entries/{entry.pk}")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200


def _api_drafts_or_blog(viewer, entry):
    """The API's lists: the blog's entries, and the caller's own drafts."""
    found = []
    for path in (f"/blogs/people/{entry.author.handle}/entries", "/blog-entries/drafts"):
        response = _api(viewer, path)
        if response.status_code == 200:
            found += [i["id"] for i in response.json()["items"]]
    return entry.pk in found


ENTRY_PATHS = {
    # name: (function, shows drafts to their author)
    "can_see_entry": (lambda v, e: can_see_entry(v, e), True),
    "BlogEntry.objects.visible_to": (
        lambda v, e: BlogEntry.objects.visible_to(v).filter(pk=e.pk).exists(),
        True,
    ),
    "visible_entry": (lambda v, e: reaches(blogs.visible_entry, v, e.pk), True),
    "web: entry page": (_entry_page, True),
    "web: blog page": (_blog_page, True),
    "api: GET /blog-entries/{id}": (_api_entry, True),
    "api: blog entries and my drafts": (_api_drafts_or_blog, True),
    "blog_entries": (
        lambda v, e: e in blogs.blog_entries(v, author=e.author),
        False,
    ),
    "entries_by (search, expertise)": (lambda v, e: e in blogs.entries_by(v, e.author), False),
    "web: profile": (lambda v, e: _page_shows(v, f"/people/{e.author.handle}/", TITLE), False),
    "web: blogs page": (lambda v, e: _page_shows(v, "/blogs/", TITLE), True),
    "home stream": (
        lambda v, e: e.post_id in {p.pk for p in home_stream(v, "all").posts},
        False,
    ),
    "feed (Basic)": (
        lambda v, e: TITLE in _feed_titles(v, f"/blogs/people/{e.author.handle}/feed/"),
        False,
    ),
}


def _expected(table: dict, case: str, shows_drafts: bool) -> dict:
    if case in ("draft", "scheduled") and not shows_drafts:
        return {who: False for who in table[case]}
    return table[case]


@pytest.mark.parametrize("path", ENTRY_PATHS)
@pytest.mark.parametrize("case", ENTRY_CASES)
def test_who_sees_a_blog_entry(cast, case, path):
    entry = make_entry(cast, case)
    check, shows_drafts = ENTRY_PATHS[path]
    seen = {}
    for who in WHO:
        viewer = Person.objects.select_related("user").get(pk=cast[who].pk)
        seen[who] = check(viewer, BlogEntry.objects.get(pk=entry.pk))
    assert seen == _expected(ENTRY_EXPECTED, case, shows_drafts)


# --- Community blogs and bookmarks -------------------------------------------------------------
#
# The cast and tables of the community matrix (tests/permission_cast.py): owner Ola;
# member Maja, who writes; non-member Nils; Rut, removed, and Lo, who left, after the
# entry was published; Ivar, invited and not answering; Dina, a member who has left.

C_EXPECTED = READS
C_DRAFT_EXPECTED = {who: who == "member" for who in C_WHO}


def _after_removal(c_cast, community) -> None:
    after_the_changes(c_cast, community)


C_ENTRY_PATHS = {
    "can_see_entry": lambda v, e: can_see_entry(v, e),
    "visible_entry": lambda v, e: reaches(blogs.visible_entry, v, e.pk),
    "web: entry page": _entry_page,
    "web: community blog page": _blog_page,
    "web: community page": lambda v, e: _page_shows(v, e.community.get_absolute_url(), TITLE),
    "api: GET /blog-entries/{id}": _api_entry,
    "api: community blog entries": lambda v, e: _api_lists(
        v, f"/blogs/communities/{e.community.slug}/entries", e.pk
    ),
    "feed (Basic)": lambda v, e: (
        TITLE in _feed_titles(v, f"/blogs/communities/{e.community.slug}/feed/")
    ),
}


@pytest.mark.parametrize("path", C_ENTRY_PATHS)
@pytest.mark.parametrize("kind", C_CASES)
def test_who_sees_a_community_blog_entry(c_cast, kind, path):
    community = make_community(c_cast, kind)
    entry = blogs.write_entry(c_cast["member"], TITLE, "Body.", community=community, publish=True)
    _after_removal(c_cast, community)
    seen = {}
    for who in C_WHO:
        viewer = Person.objects.select_related("user").get(pk=c_cast[who].pk)
        seen[who] = C_ENTRY_PATHS[path](viewer, BlogEntry.objects.get(pk=entry.pk))
    assert seen == C_EXPECTED[kind]


@pytest.mark.parametrize("path", ["can_see_entry", "visible_entry", "web: entry page"])
@pytest.mark.parametrize("kind", C_CASES)
def test_a_community_draft_is_its_authors_alone(c_cast, kind, path):
    community = make_community(c_cast, kind)
    entry = blogs.write_entry(c_cast["member"], TITLE, "Body.", community=community)
    _after_removal(c_cast, community)
    seen = {}
    for who in C_WHO:
        viewer = Person.objects.select_related("user").get(pk=c_cast[who].pk)
        seen[who] = C_ENTRY_PATHS[path](viewer, BlogEntry.objects.get(pk=entry.pk))
    assert seen == C_DRAFT_EXPECTED


# --- Bookmarks ---------------------------------------------------------------------------------

BOOKMARK_CASES = ("private", "network", "organisation")
LINK_TITLE = "Matrix link title"

# fmt: off
BOOKMARK_EXPECTED = {
    #                   auth  b.own a.con b.con stran f.con deact
    "private":      row(Y,    N,    N,    N,    N,    N,    N),
    "network":      row(Y,    N,    Y,    N,    N,    N,    N),
    "organisation": row(Y,    Y,    Y,    Y,    Y,    Y,    N),
}
# fmt: on


def _saved_by_counts_it(viewer, bookmark) -> bool:
    """The author's bookmark counts in "saved by N" for the viewer only if they may see it."""
    return bookmarks.saved_by_counts(viewer, [bookmark.url_key]).get(bookmark.url_key, 0) == 1


def _api_bookmark(viewer, bookmark) -> bool:
    response = _api(viewer, f"/bookmarks/{bookmark.pk}")
    assert response.status_code in (200, 401, 404)
    return response.status_code == 200


def _api_bookmarks(viewer, bookmark) -> bool:
    response = _api(viewer, "/bookmarks", {"person": bookmark.person.handle})
    return response.status_code == 200 and bookmark.pk in [
        i["id"] for i in response.json()["items"]
    ]


def _api_saved_by(viewer, bookmark) -> bool:
    response = _api(viewer, "/bookmarks/saved-by", {"url": bookmark.url})
    return response.status_code == 200 and response.json()["saved_by"] == 1


BOOKMARK_PATHS = {
    "can_see_bookmark": lambda v, b: can_see_bookmark(v, b),
    "visible_bookmark": lambda v, b: reaches(bookmarks.visible_bookmark, v, b.pk),
    "bookmarks_of (search, expertise)": lambda v, b: b in bookmarks.bookmarks_of(v, b.person),
    "saved_by_counts": _saved_by_counts_it,
    "web: bookmark page": lambda v, b: _page_shows(v, f"/bookmarks/{b.pk}/", LINK_TITLE),
    "web: person's bookmarks": lambda v, b: _page_shows(
        v, f"/bookmarks/people/{b.person.handle}/", LINK_TITLE
    ),
    "web: newest bookmarks": lambda v, b: _page_shows(v, "/bookmarks/", LINK_TITLE),
    "web: profile": lambda v, b: _page_shows(v, f"/people/{b.person.handle}/", LINK_TITLE),
    "api: GET /bookmarks/{id}": _api_bookmark,
    "api: GET /bookmarks?person=": _api_bookmarks,
    "api: GET /bookmarks/saved-by": _api_saved_by,
}


@pytest.mark.parametrize("path", BOOKMARK_PATHS)
@pytest.mark.parametrize("case", BOOKMARK_CASES)
def test_who_sees_a_bookmark(cast, case, path):
    bookmark = bookmarks.save_bookmark(
        cast["author"], "https://intranet.example.com/matrix", LINK_TITLE, audience=case
    )
    seen = {}
    for who in WHO:
        viewer = Person.objects.select_related("user").get(pk=cast[who].pk)
        seen[who] = BOOKMARK_PATHS[path](viewer, Bookmark.objects.get(pk=bookmark.pk))
    assert seen == BOOKMARK_EXPECTED[case]


C_BOOKMARK_PATHS = {
    "can_see_bookmark": lambda v, b: can_see_bookmark(v, b),
    "saved_by_counts": _saved_by_counts_it,
    "popular_in_community": lambda v, b: (
        b in [p.bookmark for p in bookmarks.popular_in_community(v, b.community)]
    ),
    "web: community bookmarks": lambda v, b: _page_shows(
        v, f"/bookmarks/communities/{b.community.slug}/", LINK_TITLE
    ),
    "web: community page": lambda v, b: _page_shows(v, b.community.get_absolute_url(), LINK_TITLE),
    "api: GET /bookmarks/{id}": _api_bookmark,
    "api: GET /bookmarks?community=": lambda v, b: _api_lists(
        v, f"/bookmarks?community={b.community.slug}", b.pk
    ),
}


@pytest.mark.parametrize("path", C_BOOKMARK_PATHS)
@pytest.mark.parametrize("kind", C_CASES)
def test_who_sees_a_community_bookmark(c_cast, kind, path):
    community = make_community(c_cast, kind)
    bookmark = bookmarks.save_bookmark(
        c_cast["member"], "https://intranet.example.com/matrix", LINK_TITLE, community=community
    )
    _after_removal(c_cast, community)
    seen = {}
    for who in C_WHO:
        viewer = Person.objects.select_related("user").get(pk=c_cast[who].pk)
        seen[who] = C_BOOKMARK_PATHS[path](viewer, Bookmark.objects.get(pk=bookmark.pk))
    assert seen == C_EXPECTED[kind]
