"""Classification levels on every write path: the cap table, the community floor, the
defaults, the API's names for the levels, and the administrator's names for them."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.content.blogs import services as blogs
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks import services as bookmarks
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis import services as wikis
from kollega.content.wikis.models import Page
from kollega.guard.classification import Level, name_of
from kollega.permissions import classification as cap
from kollega.posts.models import Post
from kollega.posts.services import post_on_board
from kollega.qa.models import Question
from kollega.qa.services import ask_question

pytestmark = pytest.mark.django_db

OP, IN, CO, SC = Level.OPEN, Level.INTERNAL, Level.CONFIDENTIAL, Level.STRICTLY_CONFIDENTIAL

# The table of docs/guard.md: may content of each level go to each audience?
# fmt: off
Y, N = True, False
ROWS = {
    #   public organisation open_c network board restricted_c private
    OP: (Y,     Y,           Y,     Y,      Y,    Y,           Y),
    IN: (N,     Y,           Y,     Y,      Y,    Y,           Y),
    CO: (N,     N,           N,     Y,      Y,    Y,           Y),
    SC: (N,     N,           N,     N,      N,    Y,           Y),
}
# fmt: on
TABLE = {level: dict(zip(cap.HIGHEST, row, strict=True)) for level, row in ROWS.items()}


def test_the_cap_table_is_the_one_in_the_docs():
    assert list(cap.HIGHEST) == [
        "public", "organisation", "open_community", "network", "board",
        "restricted_community", "private",
    ]  # fmt: skip
    assert {
        level: {audience: cap.allows(level, audience) for audience in cap.HIGHEST}
        for level in Level
    } == TABLE
    assert cap.allowed_audiences(OP) == list(cap.HIGHEST)
    assert cap.allowed_audiences(SC) == ["restricted_community", "private"]


def _community(owner, kind="restricted", level=None, name="Deals"):
    return communities.create_community(owner, name, "", [], kind, classification=level)


def _refused(call, code="audience_above_cap") -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    assert getattr(error, "code", None) == code or code in getattr(error, "error_dict", {})
    return " ".join(caught.value.messages)


def test_a_confidential_post_to_the_whole_organisation_is_refused_naming_level_and_audience(anna):
    message = _refused(lambda: post_on_board(anna, "Q3 numbers", classification=CO))
    assert "“Confidential” content cannot go to the whole organisation" in message
    assert Post.objects.count() == 0
    post = post_on_board(anna, "Q3 numbers", audience="network", classification=CO)
    assert post.classification == CO


def test_strictly_confidential_goes_to_no_network_or_board(anna, bjorn):
    _refused(lambda: post_on_board(anna, "x", audience="network", classification=SC))
    _refused(
        lambda: post_on_board(anna, "x", board_owner=bjorn, audience="board", classification=SC)
    )
    assert Post.objects.count() == 0


def test_new_content_is_internal_or_its_communitys_level(anna):
    assert post_on_board(anna, "Lunch?").classification == IN
    deals = _community(anna, level=CO)
    post = communities.post_in_community(anna, deals, "Term sheet")
    assert post.classification == CO


def test_content_in_a_community_cannot_be_classified_below_it(anna):
    deals = _community(anna, level=CO)
    message = _refused(
        lambda: communities.post_in_community(anna, deals, "x", classification=IN),
        "below_community_level",
    )
    assert "Deals is classified “Confidential”" in message
    assert Post.objects.count() == 0
    post = communities.post_in_community(anna, deals, "x", classification=SC)
    assert post.classification == SC


def test_an_open_community_takes_no_confidential_post(anna):
    club = _community(anna, kind="open", name="Club")
    message = _refused(lambda: communities.post_in_community(anna, club, "x", classification=CO))
    assert "open or moderated community" in message
    assert Post.objects.count() == 0


def test_a_community_classified_confidential_must_be_restricted(anna):
    for kind in ("open", "moderated"):
        message = _refused(
            lambda kind=kind: _community(anna, kind=kind, level=CO), "classification"
        )
        assert "must be restricted" in message
    assert Community.objects.count() == 0
    deals = _community(anna, level=SC)
    assert deals.classification == SC
    communities.update_community(anna, deals, "Deals", "New text", [], classification=OP)
    deals.refresh_from_db()
    assert (deals.classification, deals.description) == (OP, "New text")


def test_an_owner_cannot_raise_an_open_communitys_level_to_confidential(anna):
    club = _community(anna, kind="open", name="Club")
    _refused(
        lambda: communities.update_community(anna, club, "Club", "", [], classification=CO),
        "classification",
    )
    club.refresh_from_db()
    assert club.classification == IN


def test_a_confidential_question_goes_to_a_board_not_the_organisation(anna, bjorn):
    _refused(lambda: ask_question(anna, "Who knows the deal?", classification=CO))
    assert Question.objects.count() == Post.objects.count() == 0
    question = ask_question(
        anna, "Who knows the deal?", audience="board", board_owner=bjorn, classification=CO
    )
    assert question.post.classification == CO


def test_a_blog_entry_is_checked_as_a_draft_when_edited_and_when_published(anna):
    _refused(lambda: blogs.write_entry(anna, "Plans", "Text", classification=CO))
    assert BlogEntry.objects.count() == 0
    entry = blogs.write_entry(anna, "Plans", "Text", audience="network", classification=CO)
    _refused(
        lambda: blogs.edit_entry(anna, entry, title="Plans", body="Text", audience="organisation")
    )
    entry.refresh_from_db()
    assert (entry.audience, entry.classification) == ("network", CO)
    blogs.publish_entry(anna, entry)
    assert entry.post.classification == CO
    blogs.edit_entry(anna, entry, title="Plans", body="Text", classification=OP)
    assert Post.objects.get(pk=entry.post_id).classification == OP


def test_publishing_checks_the_floor_of_a_community_raised_since_the_draft(anna):
    deals = _community(anna)
    entry = blogs.write_entry(anna, "Plan", "Text", community=deals)
    assert entry.classification == IN
    communities.update_community(anna, deals, "Deals", "", [], classification=CO)
    deals.refresh_from_db()
    entry.community = deals
    _refused(lambda: blogs.publish_entry(anna, entry), "below_community_level")
    assert Post.objects.count() == 0


def test_wiki_pages_take_their_wikis_audience(anna):
    _refused(lambda: wikis.create_page(anna, None, "Salaries", "x", classification=CO))
    assert Page.objects.count() == 0
    page = wikis.create_page(anna, None, "Lunch", "x")
    _refused(
        lambda: wikis.edit_page(anna, page, base_revision=1, body="y", classification=SC),
    )
    page.refresh_from_db()
    assert (page.body, page.classification) == ("x", IN)
    deals = _community(anna, level=CO)
    secret = wikis.create_page(anna, deals, "Salaries", "x")
    assert secret.classification == CO
    wikis.edit_page(anna, secret, base_revision=1, classification=SC)
    secret.refresh_from_db()
    assert secret.classification == SC


def test_a_bookmark_kept_to_oneself_may_be_strictly_confidential(anna):
    _refused(lambda: bookmarks.save_bookmark(anna, "https://example.com/a", classification=CO))
    _refused(
        lambda: bookmarks.save_bookmark(
            anna, "https://example.com/a", audience="network", classification=SC
        )
    )
    assert Bookmark.objects.count() == 0
    mark = bookmarks.save_bookmark(
        anna, "https://example.com/a", audience="private", classification=SC
    )
    assert mark.classification == SC
    _refused(
        lambda: bookmarks.edit_bookmark(
            anna, mark, url="https://example.com/a", audience="organisation"
        )
    )
    mark.refresh_from_db()
    assert (mark.audience, mark.classification) == ("private", SC)


def test_public_is_for_open_content_only():
    assert cap.allows(OP, cap.PUBLIC)
    assert not any(cap.allows(level, cap.PUBLIC) for level in (IN, CO, SC))


# --- the API ---------------------------------------------------------------------------------


def test_the_api_takes_and_shows_the_level_by_name(anna, api_as):
    api = api_as(anna)
    post = api.post(
        "/posts", {"body": "Hi", "audience": "network", "classification": "confidential"}
    )
    assert post.status_code == 201 and post.json()["classification"] == "confidential"
    assert api.post("/posts", {"body": "Hi"}).json()["classification"] == "internal"


def test_the_api_refuses_an_unknown_level_by_its_schema_and_saves_nothing(anna, api_as):
    # The schema refuses it before any service runs: 400 like every request-shape error
    # of this API (kollega/api/urls.py), naming the field and the levels it takes.
    api = api_as(anna)
    for path, payload in (
        ("/posts", {"body": "Hi"}),
        ("/questions", {"title": "Who?"}),
        ("/blog-entries", {"title": "T", "body": "B"}),
        ("/bookmarks", {"url": "https://example.com/"}),
        ("/wiki/pages", {"title": "T"}),
        ("/communities", {"name": "New"}),
    ):
        response = api.post(path, {**payload, "classification": "secret"})
        assert response.status_code == 400, path
        assert "classification: Input should be 'open'" in response.json()["detail"], path
    assert Post.objects.count() == Bookmark.objects.count() == Page.objects.count() == 0
    assert BlogEntry.objects.count() == Community.objects.count() == 0


def test_the_api_refuses_a_level_above_the_audience_with_a_clear_400(anna, api_as):
    response = api_as(anna).post("/posts", {"body": "Hi", "classification": "confidential"})
    assert response.status_code == 400
    assert "cannot go to the whole organisation" in str(response.json())
    assert Post.objects.count() == 0


def test_every_classified_object_shows_its_level_in_the_api(anna, api_as):
    api = api_as(anna)
    deals = api.post(
        "/communities", {"name": "Deals", "kind": "restricted", "classification": "confidential"}
    ).json()
    assert deals["classification"] == "confidential"
    question = api.post("/questions", {"title": "Who?", "classification": "open"}).json()
    assert question["classification"] == "open"
    entry = api.post("/blog-entries", {"title": "T", "body": "B", "community": "deals"}).json()
    assert entry["classification"] == "confidential"
    mark = api.post(
        "/bookmarks",
        {"url": "https://example.com/", "audience": "private", "classification": "open"},
    ).json()
    assert mark["classification"] == "open"
    page = api.post("/wiki/pages", {"title": "T", "community": "deals"}).json()
    assert page["classification"] == "confidential"
    listed = api.get("/wiki/pages", {"community": "deals"}).json()["items"]
    assert [p["classification"] for p in listed] == ["confidential"]


# --- names -----------------------------------------------------------------------------------


def test_levels_have_translated_default_names():
    with translation.override("sv"):
        assert name_of(CO) == "Konfidentiell"
    assert name_of(SC) == "Strictly confidential"


@override_settings(
    KOLLEGA_CLASSIFICATION_NAMES='{"confidential": {"en": "Company confidential", '
    '"sv": "Företagshemligt"}}'
)
def test_the_administrator_renames_a_level_per_language_and_the_rest_keep_defaults(anna):
    assert name_of(CO) == "Company confidential"
    with translation.override("sv"):
        assert name_of(CO) == "Företagshemligt"
    with translation.override("nb"):
        assert name_of(CO) == "Fortrolig"
    assert name_of(IN) == "Internal"
    message = _refused(lambda: post_on_board(anna, "x", classification=CO))
    assert "“Company confidential” content cannot go" in message


@override_settings(KOLLEGA_CLASSIFICATION_NAMES="{not json")
def test_names_that_are_not_json_fall_back_to_the_defaults():
    assert name_of(CO) == "Confidential"


# --- pages -----------------------------------------------------------------------------------


def test_the_composer_offers_the_levels_and_the_card_shows_the_badge(anna, bjorn):
    from kollega.network.services import connect
    from kollega.people.tests.factories import signed_in

    connect(anna, bjorn)
    client = signed_in(anna)
    home = client.get("/").content.decode()
    assert '<label for="id_classification">Classification</label>' in home
    assert '<option value="2">Confidential</option>' in home
    response = client.post(
        "/posts/new/", {"body": "Board minutes", "audience": "network", "classification": "2"}
    )
    assert response.status_code == 302
    assert Post.objects.get().classification == CO
    card = signed_in(bjorn).get("/").content.decode()
    assert 'class="badge classification classification-confidential"' in card


def test_a_refused_level_keeps_the_text_in_the_composer_and_says_why(anna):
    from kollega.people.tests.factories import signed_in

    response = signed_in(anna).post(
        "/posts/new/",
        {"body": "Merger plan draft", "audience": "organisation", "classification": "2"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "cannot go to the whole organisation" in page
    assert "Merger plan draft</textarea>" in page
    assert '<option value="2" selected>' in page
    assert Post.objects.count() == 0


def test_internal_is_quiet_and_the_other_levels_look_different(anna):
    from django.template import Context, Template

    badge = Template("{% classification_badge level %}")
    shown = {level: badge.render(Context({"level": level})).strip() for level in Level}
    assert shown[IN] == ""
    assert len({shown[OP], shown[CO], shown[SC]}) == 3
    assert "classification-strictly_confidential" in shown[SC]


def test_search_results_carry_the_badge(anna):
    from kollega.people.tests.factories import signed_in

    post_on_board(anna, "Quarterly zanzibarian figures", audience="network", classification=CO)
    page = signed_in(anna).get("/search/", {"q": "zanzibarian"}).content.decode()
    assert "classification-confidential" in page


def test_a_community_page_shows_its_level_and_the_form_refuses_an_open_confidential_one(anna):
    from kollega.people.tests.factories import signed_in

    client = signed_in(anna)
    response = client.post(
        "/communities/new/", {"name": "Deals", "kind": "open", "classification": "2"}
    )
    assert response.status_code == 400
    assert "must be restricted" in response.content.decode()
    assert Community.objects.count() == 0
    client.post("/communities/new/", {"name": "Deals", "kind": "restricted", "classification": "2"})
    deals = Community.objects.get()
    assert deals.classification == CO
    assert "classification-confidential" in client.get(deals.get_absolute_url()).content.decode()
