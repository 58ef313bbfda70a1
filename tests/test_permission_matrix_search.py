"""Search never shows what the viewer may not see: results, counts, facets, suggestions.

The same cast (tests/permission_cast.py) and the same expected tables as
`tests/test_permission_matrix.py` (posts by audience; community posts and
communities by kind), read through every
search path: the service, the page, the API, the count, the facets and the
suggestions as you type. A post's comment, a question, an answer and a comment on
the answer follow the post's rule. A restricted community's card is found by a
colleague invited to it (CARDS), and nothing found names its people to them (READS).
"""

import pytest
from permission_cast import C_CASES, C_WHO, CARDS, READS, WHO
from test_permission_matrix import CASES, EXPECTED, make_community_post, make_post

from kollega.communities.models import Community
from kollega.people.models import Person
from kollega.people.tests.factories import deactivate, make_person, signed_in
from kollega.posts.models import Comment, Post
from kollega.qa.models import Answer, AnswerComment, Question
from kollega.search.services import search
from kollega.search.suggestions import suggest
from kollega.tags.services import get_or_create_tags

pytestmark = pytest.mark.django_db

WORD = "zanzibarian"  # in every document of the case, and nowhere else


def _found(viewer: Person, kind: str, object_id: int) -> bool:
    hits = search(viewer, WORD, limit=100).hits
    return (kind, object_id) in {(h.document.kind, h.document.object_id) for h in hits}


def _search_post(viewer, post) -> bool:
    return _found(viewer, "post", post.pk)


def _search_count(viewer, post) -> bool:
    results = search(viewer, WORD)
    assert results.count == len(results.hits)
    return results.count == 1


def _search_facets(viewer, post) -> bool:
    facets = search(viewer, WORD).facets
    authors = {v.value for v in facets["author"]}
    types = {v.value: v.count for v in facets["type"]}
    assert (types == {"post": 1}) == (authors == {post.author.user.username})
    return types == {"post": 1}


def _search_page(viewer, post) -> bool:
    response = signed_in(viewer).get("/search/", {"q": WORD})
    assert response.status_code in (200, 302)
    return response.status_code == 200 and f'href="/posts/{post.pk}/"' in response.content.decode()


def _search_api(viewer, post) -> bool:
    response = signed_in(viewer).get("/api/v1/search", {"q": WORD})
    assert response.status_code in (200, 401)
    if response.status_code != 200:
        return False
    body = response.json()
    assert body["count"] == len(body["items"])
    return [(i["type"], i["id"]) for i in body["items"]] == [("post", post.pk)]


def _tag_suggestion(viewer, post) -> bool:
    post.tags.add(*get_or_create_tags([WORD]))
    return [t.name for t in suggest(viewer, WORD[:5]).tags] == [WORD]


def _search_comment(viewer, post) -> bool:
    comment = Comment.objects.create(
        post=post, author=post.author, body=f"A {WORD} comment", body_html="",
        created_at=post.created_at,
    )  # fmt: skip
    return _found(viewer, "comment", comment.pk)


def _search_question(viewer, post) -> bool:
    question = Question.objects.create(post=post, title=f"A {WORD}?", asked_at=post.created_at)
    return _found(viewer, "question", question.pk) and not _found(viewer, "post", post.pk)


def _search_answer(viewer, post) -> bool:
    question = Question.objects.create(post=post, title="Matrix", asked_at=post.created_at)
    answer = Answer.objects.create(
        question=question, author=post.author, body=f"The {WORD} answer", body_html="",
        created_at=post.created_at,
    )  # fmt: skip
    return _found(viewer, "answer", answer.pk)


def _search_answer_comment(viewer, post) -> bool:
    question = Question.objects.create(post=post, title="Matrix", asked_at=post.created_at)
    answer = Answer.objects.create(
        question=question, author=post.author, body="An answer", body_html="",
        created_at=post.created_at,
    )  # fmt: skip
    comment = AnswerComment.objects.create(
        answer=answer, author=post.author, body=f"A {WORD} remark", body_html="",
        created_at=post.created_at,
    )  # fmt: skip
    return _found(viewer, "answer_comment", comment.pk)


SEARCH_PATHS = {
    "search: the post": _search_post,
    "search: the count": _search_count,
    "search: the facets": _search_facets,
    "web: /search/": _search_page,
    "api: GET /search": _search_api,
    "suggestions: its tag": _tag_suggestion,
    "search: a comment on it": _search_comment,
    "search: the post made a question": _search_question,
    "search: an answer to it": _search_answer,
    "search: a comment on an answer to it": _search_answer_comment,
}


def _post_with_the_word(post: Post) -> Post:
    post.body = f"Matrix post about {WORD}"
    post.save()
    return Post.objects.get(pk=post.pk)


@pytest.mark.parametrize("path", SEARCH_PATHS)
@pytest.mark.parametrize("case", CASES)
def test_who_finds_the_post(cast, case, path):
    post = _post_with_the_word(make_post(cast, case))
    seen = {}
    for who in WHO:
        viewer = Person.objects.select_related("user").get(pk=cast[who].pk)
        seen[who] = SEARCH_PATHS[path](viewer, post)
        # Each path may add a document; start the next viewer from the same state.
        Question.objects.filter(post=post).delete()
        Comment.objects.filter(post=post).delete()
    assert seen == EXPECTED[case]


@pytest.mark.parametrize("path", SEARCH_PATHS)
@pytest.mark.parametrize("kind", C_CASES)
def test_who_finds_a_community_post(c_cast, kind, path):
    post = _post_with_the_word(make_community_post(c_cast, kind))
    seen = {}
    for who in C_WHO:
        viewer = Person.objects.select_related("user").get(pk=c_cast[who].pk)
        seen[who] = SEARCH_PATHS[path](viewer, post)
        Question.objects.filter(post=post).delete()
        Comment.objects.filter(post=post).delete()
    assert seen == READS[kind]


def _community_found(viewer, community) -> bool:
    hits = search(viewer, "matrix", limit=100).hits
    return ("community", community.pk) in {(h.document.kind, h.document.object_id) for h in hits}


def _community_suggested(viewer, community) -> bool:
    return [d.object_id for d in suggest(viewer, "matr").communities] == [community.pk]


def _community_tag_suggested(viewer, community) -> bool:
    # The community's tag is on the community and the post: both follow the same rule.
    return [t.name for t in suggest(viewer, "matrixt").tags] == ["matrixtag"]


def _community_facet(viewer, community) -> bool:
    response = signed_in(viewer).get("/api/v1/search", {"q": "matrix"})
    if response.status_code != 200:
        return False
    return community.slug in {v["value"] for v in response.json()["facets"]["community"]}


def _names_its_people(viewer, community) -> bool:
    """Whether what search finds about it names its owner or a member (hits and facets)."""
    response = signed_in(viewer).get("/api/v1/search", {"q": "matrix"})
    page = signed_in(viewer).get("/search/", {"q": "matrix"})
    if response.status_code != 200:
        return False
    body = response.json()
    named = {i["author"]["username"] for i in body["items"] if i["author"]}
    named |= {v["value"] for v in body["facets"]["author"]}
    shown = page.content.decode()
    assert bool(named) == any(f'href="/people/{n}/"' in shown for n in ("ola", "maja"))
    return bool(named & {"ola", "maja"})


# name: (path, its table: CARDS for the card an invitee may find, READS for the rest)
COMMUNITY_SEARCH_PATHS = {
    "search: the community": (_community_found, CARDS),
    "suggestions: the community": (_community_suggested, CARDS),
    "suggestions: its tag": (_community_tag_suggested, CARDS),
    "api: the community facet": (_community_facet, CARDS),
    "search: names its owner or members": (_names_its_people, READS),
}


@pytest.mark.parametrize("path", COMMUNITY_SEARCH_PATHS)
@pytest.mark.parametrize("kind", C_CASES)
def test_who_finds_the_community(c_cast, kind, path):
    community = make_community_post(c_cast, kind).community
    check, table = COMMUNITY_SEARCH_PATHS[path]
    seen = {}
    for who in C_WHO:
        viewer = Person.objects.select_related("user").get(pk=c_cast[who].pk)
        seen[who] = check(viewer, Community.objects.get(pk=community.pk))
    assert seen == table[kind]


def test_colleagues_who_left_are_neither_found_nor_suggested(anna, bjorn):
    gone = make_person("Bodil Gone", "bodil")
    deactivate(gone)
    assert [h.document.person_id for h in search(anna, "bodil").hits] == []
    assert suggest(anna, "bod").people == []
    assert [d.person_id for d in suggest(anna, "bjø").people] == [bjorn.pk]
    # Someone who left finds nobody at all.
    assert search(gone, "bjorn").count == 0
    assert suggest(gone, "bj").is_empty


def test_suggestions_page_never_names_a_restricted_community_to_outsiders(anna, bjorn):
    from kollega.communities.services import create_community

    create_community(bjorn, "Secret merger", kind=Community.Kind.RESTRICTED)
    outsider = signed_in(anna).get("/search/suggest", {"q": "secr"})
    insider = signed_in(bjorn).get("/search/suggest", {"q": "secr"})
    assert "Secret merger" not in outsider.content.decode()
    assert "Secret merger" in insider.content.decode()
