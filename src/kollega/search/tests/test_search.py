"""Search as a person uses it: relevance, languages, bad input, facets, suggestions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kollega.communities.services import create_community, post_in_community
from kollega.network.services import connect
from kollega.people.services import tag_person
from kollega.posts.services import post_on_board
from kollega.qa.services import ask_question
from kollega.search.services import Filters, search
from kollega.search.suggestions import suggest

pytestmark = pytest.mark.django_db


def titles(results):
    return [hit.document.title or hit.document.body for hit in results.hits]


def test_the_question_whose_title_is_the_query_comes_first(anna, bjorn):
    ask_question(bjorn, "Which hops give a citrus aroma?", "I brew pale ales with hops.")
    ask_question(bjorn, "Hops", "Where can I buy hops in Stockholm?")
    post_on_board(bjorn, "Hops everywhere: hops in the garden, hops on the roof, hops!")
    results = search(anna, "hops")
    assert titles(results)[0] == "Hops"


def test_a_contacts_post_ranks_above_a_strangers_equally_relevant_post(anna, bjorn, carla):
    connect(anna, carla)
    now = timezone.now()
    stranger = post_on_board(bjorn, "Notes from the sourdough workshop", created_at=now)
    colleague = post_on_board(carla, "Notes from the sourdough workshop", created_at=now)
    results = search(anna, "sourdough workshop")
    ids = [hit.document.object_id for hit in results.hits]
    assert ids == [colleague.pk, stranger.pk]
    assert results.hits[0].parts["contact"] > 0


def test_a_swedish_inflected_query_finds_other_forms_of_the_word(anna, bjorn):
    post_on_board(bjorn, "Min blogg handlar om öl")
    post_on_board(bjorn, "Läs bloggen i morgon")
    post_on_board(bjorn, "Nothing about that here")
    results = search(anna, "bloggar")
    assert sorted(h.document.body for h in results.hits) == [
        "Läs bloggen i morgon",
        "Min blogg handlar om öl",
    ]
    assert "<mark>blogg</mark>" in results.hits[0].snippet_html + results.hits[1].snippet_html


def test_a_name_without_accents_finds_the_colleague(anna, bjorn):
    results = search(anna, "Bjorn")
    assert [h.document.person_id for h in results.hits] == [bjorn.pk]


def test_every_word_must_match_but_any_word_is_offered_when_none_has_all(anna, bjorn):
    post_on_board(bjorn, "Cider pressing day")
    post_on_board(bjorn, "Pressing matters in the budget")
    assert [h.document.body for h in search(anna, "cider pressing").hits] == ["Cider pressing day"]
    results = search(anna, "cider mead")
    assert results.any_word
    assert [h.document.body for h in results.hits] == ["Cider pressing day"]


@pytest.mark.parametrize(
    "text",
    ['"', '""', "***", "AND OR NOT", '"unbalanced quote', "NEAR(a b)", "title_terms:x", "a^b(",
     "-", "x" * 10_000, "word " * 2000, "'; DROP TABLE search_searchdocument; --"],
)  # fmt: skip
def test_bad_input_gets_an_answer_never_a_server_error(anna, bjorn, text):
    post_on_board(bjorn, "Drop the table in the meeting room")
    try:
        results = search(anna, text)
    except ValidationError as error:
        assert "search for" in error.messages[0]
    else:
        assert results.count >= 0


def test_an_empty_query_is_refused_with_a_clear_message(anna):
    with pytest.raises(ValidationError, match="Type a word"):
        search(anna, "  ?! ")


def test_a_very_long_query_says_only_its_first_words_were_used(anna, bjorn):
    post_on_board(bjorn, "Barley wine")
    results = search(anna, "barley " + "x " * 6000)
    assert results.notes


def test_html_in_a_post_is_escaped_in_the_snippet(anna, bjorn):
    post_on_board(bjorn, "<script>alert('x')</script> marzipan")
    snippet = search(anna, "marzipan").hits[0].snippet_html
    assert "<script>" not in snippet
    assert "<mark>marzipan</mark>" in snippet


def test_facets_count_types_communities_tags_and_authors(anna, bjorn, carla):
    brewers = create_community(bjorn, "Home brewers", "Brewing at home", tags=["beer"])
    post_in_community(bjorn, brewers, "Yeast starters for lager #yeast")
    post_on_board(carla, "Yeast in bread dough")
    ask_question(carla, "How much yeast for a lager?", tags=["yeast"])
    results = search(anna, "yeast")
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["type"] == {"post": 2, "question": 1}
    assert facets["community"] == {brewers.slug: 1}
    assert facets["tag"] == {"yeast": 2}
    assert facets["author"] == {"carla": 2, "bjorn": 1}
    assert results.count == 3


def test_filters_narrow_the_results(anna, bjorn, carla):
    brewers = create_community(bjorn, "Home brewers")
    post_in_community(bjorn, brewers, "Malt for the stout")
    post_on_board(carla, "Malt whisky tasting")
    ask_question(carla, "Which malt for porter?", tags=["porter"])
    assert search(anna, "malt", Filters(community=brewers.slug)).count == 1
    assert search(anna, "malt", Filters(author="carla")).count == 2
    assert search(anna, "malt", Filters(kinds=["question"])).count == 1
    assert search(anna, "malt", Filters(tag="porter")).count == 1
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert search(anna, "malt", Filters(since=tomorrow)).count == 0
    with pytest.raises(ValidationError):
        search(anna, "malt", Filters(kinds=["spaceship"]))


def test_paging_gives_full_pages_and_the_next_offset(anna, bjorn):
    for n in range(25):
        post_on_board(bjorn, f"Kombucha batch {n}")
    first = search(anna, "kombucha", limit=10)
    assert len(first.hits) == 10 and first.count == 25 and first.next_offset == 10
    last = search(anna, "kombucha", offset=20, limit=10)
    assert len(last.hits) == 5 and last.next_offset is None
    seen = {
        h.document.pk
        for page in (0, 10, 20)
        for h in search(anna, "kombucha", offset=page, limit=10).hits
    }
    assert len(seen) == 25


def test_suggestions_offer_colleagues_communities_and_tags_by_prefix(anna, bjorn, carla):
    tag_person(carla, bjorn, ["brewing"])
    create_community(carla, "Brewers guild")
    found = suggest(anna, "br")
    assert [d.title for d in found.communities] == ["Brewers guild"]
    assert [t.name for t in found.tags] == ["brewing"]
    assert [d.title for d in suggest(anna, "lindq").people] == ["Anna Lindqvist"]
    assert [d.title for d in suggest(anna, "bjo").people] == ["Bjørn Hansen"]
    assert suggest(anna, '"*').is_empty


def test_each_viewer_gets_their_own_visibility_from_the_query_built_once(anna, bjorn, carla):
    connect(anna, bjorn)
    post_on_board(bjorn, "Harvest notes for my network only", audience="network")
    # The first search builds the shared query; the second reuses it for another viewer.
    assert titles(search(anna, "harvest notes")) == ["Harvest notes for my network only"]
    assert titles(search(carla, "harvest notes")) == []
    assert titles(search(anna, "harvest notes")) == ["Harvest notes for my network only"]


@pytest.mark.parametrize("kinds", [[], ["post", "question"]])
def test_the_query_built_once_equals_the_one_built_for_the_viewer(anna, kinds):
    from kollega.search.indexing import engine
    from kollega.search.services import _candidate_sql, _compiled_candidate_sql
    from kollega.search.text import parse_query

    expression = engine().match_expression(parse_query("hops aroma"))
    filters = Filters(kinds=kinds)
    assert _candidate_sql(anna, filters, expression) == _compiled_candidate_sql(
        anna, filters, expression
    )
