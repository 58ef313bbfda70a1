"""Expertise profiles: they follow writes, choose the short list, and never change what counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kollega.communities.models import Community
from kollega.communities.services import (
    accept_community_invitation,
    create_community,
    invite_to_community,
    join_community,
    post_in_community,
)
from kollega.expertise import profiles, services
from kollega.expertise.evidence import topic_for
from kollega.expertise.models import Profile, ProfileTerm
from kollega.expertise.services import find_experts
from kollega.expertise.tasks import catch_up_profiles, refresh_stale_profiles
from kollega.network.services import connect
from kollega.people.models import Person
from kollega.people.services import tag_person
from kollega.people.tests.factories import deactivate
from kollega.posts.models import Audience
from kollega.posts.services import post_on_board
from kollega.qa import services as qa
from kollega.qa.tests.factories import ask


def names(experts):
    return [e.person.user.username for e in experts]


def short(query, limit=50):
    return [c.person for c in profiles.shortlist(topic_for(query), limit, timezone.now())]


def test_the_profile_follows_an_accepted_answer_once_the_task_runs(
    anna, bjorn, carla, dag, django_capture_on_commit_callbacks
):
    first = ask(dag, "How humid should a cellar be?", tags=["storage"])
    second = ask(dag, "Corks or screw caps?", tags=["storage"])
    qa.answer_question(bjorn, first, "Around 70 %.")
    qa.answer_question(bjorn, second, "Screw caps keep longer.")
    answer = qa.answer_question(carla, first, "Between 65 and 75 %.")
    profiles.rebuild()
    assert short("storage") == [bjorn.pk, carla.pk, dag.pk]

    # Accepting writes with an UPDATE; the notification to Carla marks her profile stale
    # and, when the transaction commits, enqueues the refresh (run at once in tests).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        qa.accept_answer(dag, answer)
    assert len(callbacks) == 1
    assert short("storage")[0] == carla.pk
    assert not Profile.objects.filter(stale_since__isnull=False).exists()


def test_a_post_enqueues_one_refresh_however_many_rows_it_writes(
    anna, bjorn, django_capture_on_commit_callbacks
):
    # The post, its tags and its mention are written in nested blocks of one transaction.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_on_board(anna, "Cold crash before #bottling, @bjorn? #fermentation")
    assert len(callbacks) == 1
    assert short("fermentation") == [anna.pk]


def test_a_rolled_back_savepoint_leaves_the_refresh_for_what_did_commit(
    anna, bjorn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        post_on_board(anna, "Notes on #storage")
        with pytest.raises(RuntimeError), transaction.atomic():
            post_on_board(bjorn, "Notes on #storage and #cellar")
            raise RuntimeError("changed my mind")
    assert len(callbacks) == 1
    assert short("storage") == [anna.pk]
    assert not Profile.objects.filter(stale_since__isnull=False).exists()


def test_a_new_tag_moves_a_person_up_after_the_task(anna, bjorn, carla, dag, eva):
    tag_person(dag, bjorn, ["storage"])
    tag_person(eva, carla, ["storage"])
    tag_person(carla, carla, ["storage"])
    profiles.rebuild()
    assert short("storage") == [carla.pk, bjorn.pk]

    tag_person(anna, bjorn, ["storage"])
    tag_person(eva, bjorn, ["storage"])
    # Until the task runs, Bjørn is stale: on every short list, so his tags count at once.
    stale = [c for c in profiles.shortlist(topic_for("storage"), 1, timezone.now()) if c.stale]
    assert [c.person for c in stale] == [bjorn.pk]
    assert names(find_experts(dag, "storage"))[0] == "bjorn"

    refresh_stale_profiles.enqueue()  # the immediate backend runs it now
    assert short("storage") == [bjorn.pk, carla.pk]
    assert not Profile.objects.filter(stale_since__isnull=False).exists()


def test_deleting_evidence_and_untagging_a_post_take_it_out_of_the_profile(anna, bjorn):
    post = post_on_board(bjorn, "Notes on #storage")
    tag_person(bjorn, anna, ["cellar"])  # someone keeps a profile
    profiles.rebuild()
    assert short("storage") == [bjorn.pk]
    post.tags.clear()
    refresh_stale_profiles.enqueue()
    assert short("storage") == []
    assert not ProfileTerm.objects.filter(person=bjorn, term="#storage").exists()


def test_old_profiles_are_refreshed_by_the_periodic_task(anna, bjorn):
    tag_person(anna, bjorn, ["storage"])
    profiles.rebuild()
    Profile.objects.update(refreshed_at=timezone.now() - profiles.MAX_AGE - timedelta(hours=1))
    # A write the signals do not see (an UPDATE), caught by the age limit.
    ProfileTerm.objects.filter(person=bjorn).delete()
    assert refresh_stale_profiles.enqueue().return_value == 0  # writes' refresh: stale only
    assert not ProfileTerm.objects.filter(person=bjorn).exists()
    assert catch_up_profiles.enqueue().return_value >= 1
    assert short("storage") == [bjorn.pk]


def test_people_without_a_profile_get_one_from_the_periodic_task(anna, bjorn, carla):
    tag_person(anna, bjorn, ["storage"])
    profiles.rebuild()
    Profile.objects.filter(person=bjorn).delete()
    ProfileTerm.objects.filter(person=bjorn).delete()
    # A colleague's post marks only its author: the write's refresh builds no one else.
    post_on_board(carla, "Lunch?")
    assert not Profile.objects.filter(person=bjorn).exists()
    profiles.refresh_stale(catch_up=True)
    assert short("storage") == [bjorn.pk]


def _organisation(anna, bjorn, carla, dag, eva, make_person):
    """Evidence of every kind, some of it hidden from some viewers."""
    from kollega.content.blogs.services import write_entry
    from kollega.content.bookmarks.services import save_bookmark
    from kollega.content.wikis.services import create_page

    connect(bjorn, carla)
    first = ask(eva, "How long can I store an opened bottle?", tags=["storage", "wine"])
    accepted = qa.answer_question(bjorn, first, "Three to five days, corked.")
    helped = qa.answer_question(carla, first, "A day or two.")
    qa.accept_answer(eva, accepted)
    qa.mark_helpful(anna, helped)
    ask(dag, "Where do I store wine at home?", tags=["storage"])
    board = ask(bjorn, "Humidity in the wine cellar?", tags=["cellar"], audience=Audience.BOARD)
    qa.answer_question(carla, board, "Around 70 %.")
    for n in range(3):
        tag_person(make_person(f"Tagger {n}", f"tagger{n}"), dag, ["storage"])
    tag_person(eva, eva, ["wine"])
    club = create_community(carla, "Cellar club", tags=["cellar", "storage"])
    join_community(dag, club)
    secret = create_community(eva, "Wine board", tags=["wine"], kind=Community.Kind.RESTRICTED)
    accept_community_invitation(dag, invite_to_community(eva, secret, dag))
    post_in_community(dag, secret, "Our #wine #storage plan")
    write_entry(bjorn, "Our cellar diary", "Week one.", tags=["cellar"], publish=True)
    create_page(carla, None, "Wine storage rules", "Keep it at 12 degrees.")
    save_bookmark(dag, "https://example.org/cellars", "Building a wine cellar", tags=["cellar"])
    post_on_board(eva, "Stored the #wine upright, never again")


def _results(viewers, queries, routing=False):
    def rank(viewer, query):
        if not routing:
            return find_experts(viewer, query)
        # Two, fewer than the candidates: reading stops where the bounds say it may.
        return services.rank_people(viewer, topic_for(query), query, limit=2, weigh_presence=True)

    return {
        (viewer.pk, query): [(e.person.pk, e.score, e.reasons) for e in rank(viewer, query)]
        for viewer in viewers
        for query in queries
    }


def _same(results, expected):
    """The same people in the same order with the same reasons; scores equal up to the
    decay of the moments between two rankings."""
    assert results.keys() == expected.keys()
    for key, ranked in results.items():
        assert [(pk, reasons) for pk, _s, reasons in ranked] == [
            (pk, reasons) for pk, _s, reasons in expected[key]
        ], key
        assert [s for _pk, s, _r in ranked] == pytest.approx(
            [s for _pk, s, _r in expected[key]], rel=1e-4, abs=1e-4
        )


@pytest.mark.parametrize("routing", [False, True], ids=["who-knows", "routing"])
def test_the_short_list_gives_the_live_ranking_on_a_small_organisation(
    anna, bjorn, carla, dag, eva, make_person, monkeypatch, routing
):
    _organisation(anna, bjorn, carla, dag, eva, make_person)
    # Routing weighs presence, which the bounds include: some were here lately, some not.
    now = timezone.now()
    for person, away in ((bjorn, timedelta(days=40)), (dag, None), (eva, timedelta(days=3))):
        Person.objects.filter(pk=person.pk).update(last_seen_at=away and now - away)
    viewers = [anna, bjorn, carla, dag, eva]
    queries = ["wine storage", "cellar", "storage", "wine", "humidity", "store bottle"]
    assert not ProfileTerm.objects.exists()
    live = _results(viewers, queries, routing)  # no profile yet: everyone's evidence read live
    assert any(live.values())

    profiles.rebuild()
    _same(_results(viewers, queries, routing), live)
    # One person at a time: the bounds decide when to stop, and still nobody is missed.
    monkeypatch.setattr(services, "FIRST_BATCH", 1)
    monkeypatch.setattr(services, "NEXT_BATCH", 1)
    _same(_results(viewers, queries, routing), live)


def test_the_short_list_never_shows_evidence_the_viewer_may_not_see(anna, bjorn, carla, dag, eva):
    secret = create_community(eva, "Wine board", tags=["vintage"], kind=Community.Kind.RESTRICTED)
    accept_community_invitation(dag, invite_to_community(eva, secret, dag))
    accept_community_invitation(bjorn, invite_to_community(eva, secret, bjorn))
    hidden = post_in_community(dag, secret, "Our #vintage plan")
    post_in_community(bjorn, secret, "More #vintage notes")
    shown = post_on_board(bjorn, "Tasted a #vintage port")
    profiles.rebuild()
    # The profiles know everything: Dag is a candidate whoever asks...
    assert {dag.pk, bjorn.pk} <= set(short("vintage"))

    # ...but only what the viewer may see counts and is shown.
    experts = find_experts(carla, "vintage")
    assert names(experts) == ["bjorn"]
    urls = [e.url for e in experts[0].evidence]
    assert urls == [f"/posts/{shown.pk}/"] or all(str(shown.pk) in u for u in urls)
    assert all(f"/{hidden.pk}/" not in u for e in experts for u in [x.url for x in e.evidence])
    assert experts[0].reasons == ["wrote about #vintage"]
    # A member sees Dag, and Bjørn's restricted post counts for them too.
    member = {e.person.user.username: e for e in find_experts(eva, "vintage")}
    assert set(member) == {"bjorn", "dag"}
    assert len(member["bjorn"].evidence) > len(experts[0].evidence)


def test_people_who_left_are_never_proposed_even_with_a_profile(anna, bjorn, carla):
    tag_person(anna, bjorn, ["storage"])
    tag_person(anna, carla, ["storage"])
    tag_person(bjorn, carla, ["storage"])
    profiles.rebuild()
    deactivate(carla)
    assert carla.pk in short("storage")
    assert names(find_experts(anna, "storage")) == ["bjorn"]


def test_the_rebuild_command_reports_what_it_built(anna, bjorn, capsys):
    tag_person(anna, bjorn, ["storage"])
    call_command("expertise_profiles", "--no-progress")
    out = capsys.readouterr().out
    assert "Built the profiles of 2 people (1 terms)" in out
    assert short("storage") == [bjorn.pk]


def test_filters_by_department_and_office_read_the_profiles_of_those_people(anna, make_person):
    from kollega.people.tests.factories import make_department, make_office

    lab = make_department("Lab")
    bench = make_department("Bench team", parent=lab)
    sales = make_department("Sales")
    oslo = make_office("Oslo", "Oslo", "NO")
    chemist = make_person("Kim Chem", "kim", department=bench, office=oslo)
    seller = make_person("Sam Sell", "sam", department=sales)
    tag_person(anna, chemist, ["storage"])
    for n in range(3):  # the strongest on the topic are elsewhere
        tag_person(anna, seller, ["storage"])
        tag_person(make_person(f"Tagger {n}", f"tagger{n}"), seller, ["storage"])
    profiles.rebuild()
    assert names(find_experts(anna, "storage", department=lab)) == ["kim"]
    assert names(find_experts(anna, "storage", department=sales)) == ["sam"]
    assert names(find_experts(anna, "storage", office=oslo)) == ["kim"]


def test_deleting_someone_with_evidence_leaves_no_profile_behind(anna, bjorn, carla):
    from django.db import transaction

    from kollega.qa.models import Answer

    question = ask(anna, "How humid should a cellar be?", tags=["storage"])
    qa.answer_question(bjorn, question, "Around 70 %.")
    post_on_board(bjorn, "Notes on #storage")
    tag_person(carla, bjorn, ["storage"])
    profiles.rebuild()
    with transaction.atomic():
        bjorn.user.delete()  # cascades to the person, their answers, posts and tags
    assert not Answer.objects.filter(author_id=bjorn.pk).exists()
    assert not Profile.objects.filter(person_id=bjorn.pk).exists()
    assert not ProfileTerm.objects.filter(person_id=bjorn.pk).exists()
