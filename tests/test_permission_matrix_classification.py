"""The permission matrices' classification axis: a level above what the audience may
carry narrows who sees the item, on every read path — pages, the API, streams,
notifications, search and expertise evidence.

The rule (kollega/permissions/classification.py, one table):

- the whole organisation and open or moderated communities carry at most Internal;
  a network and a board at most Confidential; a restricted community and "only me"
  anything;
- beyond it, only the author and the board's owner see a post (in a community, its
  current members), only the owner a bookmark, only the creator an organisation wiki
  page (a community's page: its current members).

The writes refuse such items (src/kollega/guard/tests/test_classification.py), so
each item here is classified afterwards, in the database, as an import or a
community that changed its kind would leave it. The cast and the read paths are
those of the other matrices (tests/permission_cast.py, test_permission_matrix*.py);
Open and Internal items are seen exactly as those matrices say.
"""

import pytest
from permission_cast import C_WHO, WHO, N, Y, make_community
from test_permission_matrix import C_READ_PATHS, READ_PATHS, make_community_post, make_post
from test_permission_matrix_content import (
    BOOKMARK_PATHS,
    C_BOOKMARK_PATHS,
    ENTRY_PATHS,
    LINK_TITLE,
    TITLE,
    _after_removal,
)
from test_permission_matrix_search import SEARCH_PATHS, WORD
from test_permission_matrix_wikis import READ_PATHS as WIKI_READ_PATHS
from test_permission_matrix_wikis import make_page, stored_images_removed  # noqa: F401

from kollega.content.blogs import services as blogs
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks import services as bookmarks
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis.models import Page
from kollega.guard.classification import Level
from kollega.people.models import Person
from kollega.posts.models import Comment, Post
from kollega.qa.models import Question

pytestmark = pytest.mark.django_db

OPEN, CONF, STRICT = Level.OPEN, Level.CONFIDENTIAL, Level.STRICTLY_CONFIDENTIAL


def row(*seen: bool) -> dict[str, bool]:
    return dict(zip(WHO, seen, strict=True))


def c_row(*seen: bool) -> dict[str, bool]:
    return dict(zip(C_WHO, seen, strict=True))


def _classify(obj, level: int) -> None:
    """Set the level in the database, past the write check (an import, an old item)."""
    type(obj).objects.filter(pk=obj.pk).update(classification=level)


def _fresh(cast, who) -> Person:
    return Person.objects.select_related("user").get(pk=cast[who].pk)


# --- Posts (and so questions, comments, answers) -------------------------------------------

# fmt: off
POST_EXPECTED = {
    #                                                 auth  b.own a.con b.con stran f.con deact
    ("organisation_on_own_board", OPEN):          row(Y,    Y,    Y,    Y,    Y,    Y,    N),
    ("organisation_on_own_board", CONF):          row(Y,    N,    N,    N,    N,    N,    N),
    ("organisation_on_colleagues_board", CONF):   row(Y,    Y,    N,    N,    N,    N,    N),
    ("network_on_own_board", CONF):               row(Y,    N,    Y,    N,    N,    N,    N),
    ("network_on_own_board", STRICT):             row(Y,    N,    N,    N,    N,    N,    N),
    ("board_on_colleagues_board", CONF):          row(Y,    Y,    N,    Y,    N,    N,    N),
    ("board_on_colleagues_board", STRICT):        row(Y,    Y,    N,    N,    N,    N,    N),
}
# fmt: on
POST_PATHS = {**READ_PATHS, **SEARCH_PATHS}


def _classified_post(post: Post, level: int) -> Post:
    post.body = f"Matrix post about {WORD}"
    post.save()  # indexed with the word, for the search paths
    _classify(post, level)
    return Post.objects.get(pk=post.pk)


def _seen(cast, who_all, path, post) -> dict[str, bool]:
    seen = {}
    for who in who_all:
        seen[who] = path(_fresh(cast, who), Post.objects.get(pk=post.pk))
        # Some paths make the post a question or comment on it: start each viewer afresh.
        Question.objects.filter(post=post).delete()
        Comment.objects.filter(post=post).delete()
    return seen


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize("case", POST_EXPECTED, ids=lambda c: f"{c[0]}-{Level(c[1]).name}")
def test_who_sees_a_classified_post(cast, case, path):
    audience_case, level = case
    post = _classified_post(make_post(cast, audience_case), level)
    assert _seen(cast, WHO, POST_PATHS[path], post) == POST_EXPECTED[case]


MEMBERS_ONLY = c_row(Y, Y, N, N, N, N, N)  # owner, member; not those removed, gone or invited
# (A restricted community's posts are its members' at every level: test_permission_matrix.py.)
C_POST_CASES = (("open", CONF), ("moderated", STRICT))


@pytest.mark.parametrize("path", {**C_READ_PATHS, **SEARCH_PATHS})
@pytest.mark.parametrize("case", C_POST_CASES, ids=lambda c: f"{c[0]}-{Level(c[1]).name}")
def test_a_classified_community_post_is_for_the_current_members(c_cast, case, path):
    kind, level = case
    post = _classified_post(make_community_post(c_cast, kind), level)
    paths = {**C_READ_PATHS, **SEARCH_PATHS}
    assert _seen(c_cast, C_WHO, paths[path], post) == MEMBERS_ONLY


# --- Blog entries ----------------------------------------------------------------------------

AUTHOR_ONLY = row(Y, N, N, N, N, N, N)
ENTRY_CASES = (("organisation", CONF), ("network", STRICT))


@pytest.mark.parametrize("path", ENTRY_PATHS)
@pytest.mark.parametrize("case", ENTRY_CASES, ids=lambda c: f"{c[0]}-{Level(c[1]).name}")
def test_a_classified_blog_entry_is_its_authors_alone(cast, case, path):
    audience, level = case
    author = cast["author"]
    entry = blogs.write_entry(author, TITLE, "Matrix body.", audience=audience, publish=True)
    _classify(entry, level)
    _classify(entry.post, level)
    check, _shows_drafts = ENTRY_PATHS[path]
    seen = {who: check(_fresh(cast, who), BlogEntry.objects.get(pk=entry.pk)) for who in WHO}
    assert seen == AUTHOR_ONLY


# --- Bookmarks -------------------------------------------------------------------------------

BOOKMARK_CASES = (("organisation", CONF), ("network", STRICT))


@pytest.mark.parametrize("path", BOOKMARK_PATHS)
@pytest.mark.parametrize("case", BOOKMARK_CASES, ids=lambda c: f"{c[0]}-{Level(c[1]).name}")
def test_a_classified_bookmark_is_its_owners_alone(cast, case, path):
    audience, level = case
    bookmark = bookmarks.save_bookmark(
        cast["author"], "https://intranet.example.com/matrix", LINK_TITLE, audience=audience
    )
    _classify(bookmark, level)
    seen = {
        who: BOOKMARK_PATHS[path](_fresh(cast, who), Bookmark.objects.get(pk=bookmark.pk))
        for who in WHO
    }
    assert seen == AUTHOR_ONLY


@pytest.mark.parametrize("path", C_BOOKMARK_PATHS)
def test_a_confidential_bookmark_in_an_open_community_is_for_its_members(c_cast, path):
    community = make_community(c_cast, "open")
    bookmark = bookmarks.save_bookmark(
        c_cast["member"], "https://intranet.example.com/matrix", LINK_TITLE, community=community
    )
    _classify(bookmark, CONF)
    _after_removal(c_cast, community)
    seen = {
        who: C_BOOKMARK_PATHS[path](_fresh(c_cast, who), Bookmark.objects.get(pk=bookmark.pk))
        for who in C_WHO
    }
    assert seen == MEMBERS_ONLY


# --- Wiki pages ------------------------------------------------------------------------------

# The page is created by the member; the owner wrote its second revision.
# fmt: off
PAGE_EXPECTED = {
    #                                  owner member non  removed left invitee deact
    ("organisation", CONF):     c_row(N,    Y,     N,   N,      N,   N,      N),
    ("open", CONF):             c_row(Y,    Y,     N,   N,      N,   N,      N),
    ("moderated", STRICT):      c_row(Y,    Y,     N,   N,      N,   N,      N),
    ("restricted", STRICT):     c_row(Y,    Y,     N,   N,      N,   N,      N),
}
# fmt: on


@pytest.mark.parametrize("path", WIKI_READ_PATHS)
@pytest.mark.parametrize("case", PAGE_EXPECTED, ids=lambda c: f"{c[0]}-{Level(c[1]).name}")
def test_who_reads_a_classified_wiki_page(c_cast, case, path):
    wiki, level = case
    page = make_page(c_cast, wiki)
    _classify(page, level)
    seen = {
        who: WIKI_READ_PATHS[path](_fresh(c_cast, who), Page.objects.get(pk=page.pk))
        for who in C_WHO
    }
    assert seen == PAGE_EXPECTED[case]
