"""Watch terms matched at ingest, and the shared inbox's mentions: assigned, answered, dismissed."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.listening import mentions, services
from kollega.listening.matching import Matcher
from kollega.listening.models import Mention, Source, Term
from kollega.listening.readers import ItemData
from kollega.permissions.listening import LISTENING_GROUP


def test_words_phrases_and_exclusions_match_case_and_accents_aside():
    matcher = Matcher(["saab -gripen", '"volvo cars" -trucks', "Bjørn", "kollega", "Skåne"])

    assert matcher.matches("SAAB buys more") == ["saab -gripen"]
    assert matcher.matches("Saab's Gripen flies") == []
    assert matcher.matches("Volvo Cars rocks") == ['"volvo cars" -trucks']
    assert matcher.matches("Volvo sells cars") == []  # a phrase is words next to each other
    assert matcher.matches("Volvo Cars and trucks") == []
    assert matcher.matches("bjorn said so") == ["Bjørn"]  # accents aside
    assert matcher.matches("Kollegas nya app") == ["kollega"]  # a Swedish genitive
    assert matcher.matches("i skane") == ["Skåne"]
    assert Matcher(["-only excluded"]).matches("anything only") == []


needs_db = pytest.mark.django_db


def item(external_id: str, title: str, body: str = "") -> ItemData:
    return ItemData(external_id=external_id, title=title, content_html=f"<p>{body}</p>")


@pytest.fixture
def team(dag, eva):
    group, _ = Group.objects.get_or_create(name=LISTENING_GROUP)
    for person in (dag, eva):
        person.user.groups.add(group)
    return dag, eva


@needs_db
def test_a_matching_item_gets_its_terms_and_one_mention_per_term_once(dag):
    Term.objects.create(phrase="kollega", owner_person=dag)
    Term.objects.create(phrase="saab -gripen", kind=Term.Kind.COMPETITOR)
    source = Source.objects.create(name="news")

    services.store_items(source, [item("1", "Kollega and Saab"), item("2", "Weather")])
    services.store_items(source, [item("1", "Kollega and Saab"), item("2", "Weather")])

    first = source.items.get(external_id="1")
    assert first.matched_terms == ["kollega", "saab -gripen"]
    assert source.items.get(external_id="2").matched_terms == []
    assert sorted(Mention.objects.values_list("term__phrase", "state")) == [
        ("kollega", "new"), ("saab -gripen", "new"),
    ]  # fmt: skip

    services.store_items(source, [item("2", "Weather", "Kollega in the rain")])
    assert Mention.objects.filter(item__external_id="2").count() == 1


@needs_db
def test_a_mention_is_assigned_then_answered_and_its_response_time_counted(team, dag):
    dag, eva = team
    Term.objects.create(phrase="kollega")
    services.store_items(Source.objects.create(name="news"), [item("1", "Kollega rocks")])
    mention = mentions.inbox(dag).get()

    mentions.assign_mention(dag, mention, eva)
    answered = mentions.answer_mention(eva, mention)

    assert answered.state == "answered" and answered.assignee == eva
    assert answered.created_at <= answered.assigned_at <= answered.closed_at
    assert answered.response_time == answered.closed_at - answered.created_at
    assert list(mentions.inbox(dag)) == []
    (row,) = mentions.response_times(dag)
    assert row["term"] == "kollega" and row["closed"] == 1 and row["mean"] is not None
    with pytest.raises(ValidationError, match="already answered or dismissed"):
        mentions.dismiss_mention(dag, answered, "spam")


@needs_db
def test_a_mention_is_dismissed_only_with_a_reason(team):
    dag, _eva = team
    Term.objects.create(phrase="kollega")
    services.store_items(Source.objects.create(name="news"), [item("1", "Kollega spam")])
    mention = mentions.inbox(dag).get()

    with pytest.raises(ValidationError, match="Say why"):
        mentions.dismiss_mention(dag, mention, "   ")
    dismissed = mentions.dismiss_mention(dag, mention, "Spam  from a bot")

    assert (dismissed.state, dismissed.dismiss_reason) == ("dismissed", "Spam from a bot")


@needs_db
def test_only_the_listening_team_works_the_inbox_or_takes_mentions(team, carla):
    dag, _eva = team
    Term.objects.create(phrase="kollega")
    services.store_items(Source.objects.create(name="news"), [item("1", "Kollega")])
    mention = mentions.inbox(dag).get()

    with pytest.raises(PermissionDenied):
        mentions.inbox(carla)
    with pytest.raises(PermissionDenied):
        mentions.answer_mention(carla, mention)
    with pytest.raises(ValidationError, match="Only someone on the listening team"):
        mentions.assign_mention(dag, mention, carla)
