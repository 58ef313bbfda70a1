"""Questions asked in a community: its audience, its classification, its members."""

import pytest
from django.core.exceptions import ValidationError

from kollega.communities.models import Community
from kollega.communities.services import (
    accept_community_invitation,
    create_community,
    invite_to_community,
)
from kollega.people.services import tag_person
from kollega.people.tests.factories import signed_in
from kollega.permissions.questions import can_see_question
from kollega.posts.models import Audience, Post
from kollega.qa import services
from kollega.qa.models import Question
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def cellar(anna, bjorn):
    """A restricted community of Anna (owner) and Bjørn."""
    community = create_community(anna, "Cellar", kind=Community.Kind.RESTRICTED)
    accept_community_invitation(bjorn, invite_to_community(anna, community, bjorn))
    return community


def test_a_question_in_a_restricted_community_is_seen_and_routed_to_members_only(
    anna, bjorn, carla, cellar
):
    tag_person(bjorn, bjorn, ["wine"])
    tag_person(carla, carla, ["wine"])
    question = ask(anna, community=cellar)
    assert question.post.audience == Audience.COMMUNITY and question.post.community == cellar
    assert can_see_question(bjorn, question) and not can_see_question(carla, question)
    assert [s.person for s in services.suggest_answerers(anna, question)] == [bjorn]
    assert list(services.visible_questions(bjorn, community=cellar)) == [question]
    assert list(services.visible_questions(carla)) == []
    assert question in services.question_inbox(bjorn)
    assert services.overview(bjorn, community=cellar)["this_week"].asked == 1
    assert services.overview(carla)["this_week"].asked == 0
    with pytest.raises(ValidationError, match="may not see this question"):
        services.send_question(anna, question, [carla])


def test_a_question_takes_the_communitys_classification_as_its_floor(anna, bjorn):
    secret = create_community(
        anna, "Mergers", kind=Community.Kind.RESTRICTED, classification="confidential"
    )
    question = ask(anna, community=secret)
    assert question.post.classification == secret.classification
    with pytest.raises(ValidationError, match="cannot be classified lower"):
        ask(anna, "Lower?", community=secret, classification="internal")
    assert Question.objects.count() == 1


def test_only_members_ask_in_a_community_even_an_open_one(anna, bjorn):
    open_one = create_community(anna, "Beer", kind=Community.Kind.OPEN)
    with pytest.raises(ValidationError, match="Only members may ask in Beer"):
        ask(bjorn, community=open_one)
    with pytest.raises(ValidationError, match="Choose the community"):
        ask(bjorn, audience=Audience.COMMUNITY)
    assert Question.objects.count() == 0 and Post.objects.count() == 0


def test_the_ask_page_refuses_an_unknown_community_and_one_i_am_not_in(anna, bjorn, carla, cellar):
    form = {"title": "Which cork?", "audience": "organisation", "classification": ""}
    response = signed_in(carla).post("/questions/ask/", {**form, "community": "cellar"})
    assert response.status_code == 400
    assert "There is no community called “cellar”" in response.content.decode()
    response = signed_in(carla).post("/questions/ask/", {**form, "community": "nowhere"})
    assert "There is no community called “nowhere”" in response.content.decode()
    create_community(anna, "Beer", kind=Community.Kind.OPEN)
    response = signed_in(carla).post("/questions/ask/", {**form, "community": "beer"})
    assert "Only members may ask in Beer" in response.content.decode()
    assert Question.objects.count() == 0


def test_the_questions_tab_lists_the_communitys_questions_and_offers_asking(anna, bjorn, cellar):
    question = ask(anna, "Which cork?", community=cellar)
    ask(anna, "Outside")
    page = signed_in(bjorn).get("/communities/cellar/questions/").content.decode()
    assert "Which cork?" in page and "Outside" not in page
    assert question.get_absolute_url() in page
    assert "/questions/ask/?community=cellar" in page
    assert (
        "/communities/cellar/questions/"
        in signed_in(bjorn).get("/communities/cellar/").content.decode()
    )
    form = signed_in(bjorn).get("/questions/ask/?community=cellar").content.decode()
    assert '<option value="cellar" selected>' in form


def test_the_questions_tab_of_a_restricted_community_is_not_found_for_others(carla, cellar):
    assert signed_in(carla).get("/communities/cellar/questions/").status_code == 404


def test_the_api_asks_in_a_community_and_lists_its_questions(anna, bjorn, carla, cellar, api_as):
    response = api_as(bjorn).post("/questions", {"title": "Which cork?", "community": "cellar"})
    assert response.status_code == 201, response.content
    assert response.json()["community"] == "cellar"
    assert response.json()["audience"] == "community"
    listed = api_as(anna).get("/communities/cellar/questions").json()
    assert [q["title"] for q in listed["items"]] == ["Which cork?"]
    assert api_as(anna).get("/questions?community=cellar").json()["count"] == 1
    assert api_as(carla).get("/communities/cellar/questions").status_code == 404
    refused = api_as(carla).post("/questions", {"title": "Sneak", "community": "cellar"})
    assert refused.status_code == 400
    unknown = api_as(bjorn).post("/questions", {"title": "Where?", "community": "nope"})
    assert unknown.status_code == 400 and "nope" in unknown.content.decode()
    assert Question.objects.count() == 1


def test_search_finds_a_restricted_communitys_question_for_its_members_only(
    anna, bjorn, carla, cellar
):
    from kollega.search.services import Filters, search

    ask(anna, "Which cork keeps a riesling?", community=cellar)
    found = search(bjorn, "riesling", Filters(community=cellar.slug))
    assert [hit.document.title for hit in found.hits] == ["Which cork keeps a riesling?"]
    assert search(carla, "riesling").hits == []
