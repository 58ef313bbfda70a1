"""Who knows about X: weighting, explanations, visibility, who is never proposed, paths."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kollega.communities.models import Community
from kollega.communities.services import (
    accept_community_invitation,
    create_community,
    invite_to_community,
    post_in_community,
)
from kollega.expertise.services import find_experts
from kollega.network.services import connect
from kollega.people.services import tag_person
from kollega.people.tests.factories import deactivate, make_department, make_office, signed_in
from kollega.posts.models import Audience
from kollega.qa import services as qa
from kollega.qa.models import Answer
from kollega.qa.tests.factories import ask


def names(experts):
    return [e.person.user.username for e in experts]


def test_an_accepted_answer_outweighs_an_answer_which_outweighs_asking(
    anna, bjorn, carla, dag, eva
):
    first = ask(eva, "How long can I store an opened bottle?", tags=["storage"])
    accepted = qa.answer_question(bjorn, first, "Three to five days, corked, in the fridge.")
    qa.answer_question(carla, first, "A day or two.")
    qa.accept_answer(eva, accepted)
    ask(dag, "Where do I store wine at home?", tags=["storage"])

    experts = find_experts(anna, "wine storage")

    assert names(experts) == ["bjorn", "carla", "dag", "eva"]
    assert (
        experts[0].evidence[0].label
        == "accepted answer to “How long can I store an opened bottle?”"
    )
    assert experts[0].evidence[0].url.endswith(f"/questions/{first.pk}/#answer-{accepted.pk}")
    assert experts[1].evidence[0].label == "answered “How long can I store an opened bottle?”"
    assert experts[2].evidence[0].label == "asked “Where do I store wine at home?”"


def test_helpful_votes_lift_an_answer(anna, bjorn, carla, dag):
    question = ask(dag, "Best cellar temperature?", tags=["storage"])
    qa.answer_question(bjorn, question, "Twelve degrees.")
    helped = qa.answer_question(carla, question, "Between 10 and 14 degrees, steady.")
    qa.mark_helpful(anna, helped)
    qa.mark_helpful(dag, helped)
    assert names(find_experts(anna, "storage"))[:2] == ["carla", "bjorn"]


def test_recent_evidence_weighs_more_than_old(anna, bjorn, carla, dag):
    old = ask(dag, "Cork or screw cap for storage?", tags=["storage"])
    old_answer = qa.answer_question(bjorn, old, "Screw caps keep longer.")
    new = ask(dag, "Storing beer upright?", tags=["storage"])
    qa.answer_question(carla, new, "Upright, always.")
    Answer.objects.filter(pk=old_answer.pk).update(created_at=timezone.now() - timedelta(days=900))
    ranked = names(find_experts(anna, "storage"))
    assert ranked.index("carla") < ranked.index("bjorn")


def test_tags_by_colleagues_count_per_colleague_and_explain_themselves(
    anna, bjorn, carla, dag, eva, make_person
):
    for n in range(5):
        tag_person(make_person(f"Tagger {n}", f"tagger{n}"), bjorn, ["storage"])
    tag_person(dag, carla, ["storage"])
    tag_person(eva, eva, ["storage"])
    experts = find_experts(anna, "storage")
    assert names(experts) == ["bjorn", "carla", "eva"]
    assert experts[0].reasons == ["tagged storage by 5 colleagues"]
    assert experts[1].reasons == ["tagged storage by 1 colleague"]
    assert experts[2].reasons == ["says they know storage"]


def test_community_owners_and_members_are_evidence(anna, bjorn, carla):
    community = create_community(bjorn, "Cellar club", tags=["storage"])
    from kollega.communities.services import join_community

    join_community(carla, community)
    experts = find_experts(anna, "storage")
    assert names(experts) == ["bjorn", "carla"]
    assert experts[0].reasons == ["runs the community Cellar club"]
    assert experts[1].reasons == ["member of the community Cellar club"]


def test_only_evidence_the_viewer_may_see_counts(anna, bjorn, carla, dag):
    # A question on Bjørn's board: only Bjørn's contacts see it (and so its answers).
    connect(bjorn, carla)
    question = ask(bjorn, "Humidity in the cellar?", tags=["storage"], audience=Audience.BOARD)
    qa.answer_question(carla, question, "Around 70 %.")
    assert names(find_experts(dag, "storage")) == []
    assert "carla" in names(find_experts(bjorn, "storage"))

    # A post in a restricted community counts only for its members.
    secret = create_community(anna, "Cellar board", tags=["cellar"], kind=Community.Kind.RESTRICTED)
    accept_community_invitation(dag, invite_to_community(anna, secret, dag))
    post_in_community(dag, secret, "Our #cellar plan for next year")
    assert "dag" in names(find_experts(anna, "cellar"))
    assert "dag" not in names(find_experts(carla, "cellar"))


def test_colleagues_who_left_and_the_viewer_are_never_proposed(anna, bjorn, carla):
    tag_person(carla, bjorn, ["storage"])
    tag_person(bjorn, anna, ["storage"])
    tag_person(bjorn, carla, ["storage"])
    deactivate(carla)
    assert names(find_experts(anna, "storage")) == ["bjorn"]


def test_someone_without_evidence_is_not_listed_and_a_topic_nobody_knows_gives_nobody(
    anna, bjorn, carla
):
    tag_person(carla, bjorn, ["storage"])
    assert names(find_experts(anna, "storage")) == ["bjorn"]
    assert find_experts(anna, "quantum chromodynamics") == []


def test_inflected_and_compound_queries_find_the_tag(anna, bjorn, carla):
    tag_person(carla, bjorn, ["red-wine"])
    assert names(find_experts(anna, "Who knows about red wines?")) == ["bjorn"]
    assert names(find_experts(anna, "wine")) == []  # "red-wine" is more than "wine"


def test_shared_contacts_are_named_up_to_three_and_the_rest_counted(
    anna, bjorn, carla, dag, eva, make_person
):
    ada = make_person("Ada Ek", "ada")
    tag_person(anna, eva, ["storage"])
    for contact in (bjorn, carla, dag, ada):
        connect(anna, contact)
        connect(contact, eva)
    [expert] = find_experts(anna, "storage")
    assert (expert.path.kind, expert.path.shared, expert.path.unnamed) == ("shared", 4, 1)
    assert [p.name for p in expert.path.via] == ["Ada Ek", "Bjørn Hansen", "Carla Smith"]
    page = signed_in(anna).get("/experts/", {"q": "storage"}).content.decode()
    assert "you share 4 contacts:" in page
    assert ">Carla Smith</a> and 1 more</p>" in page
    assert ">Dag Berg<" not in page


def test_each_result_shows_the_way_to_reach_them(anna, bjorn, carla, dag, eva):
    for person in (bjorn, carla, dag, eva):
        tag_person(anna, person, ["storage"])
    connect(anna, bjorn)  # a contact
    connect(bjorn, carla)  # carla: one shared contact (bjorn)
    connect(carla, dag)  # dag: introduction through bjorn and carla
    viewer = anna
    paths = {e.person.user.username: e.path for e in find_experts(viewer, "storage")}
    # anna tagged everyone herself, so she is the viewer, not a candidate
    assert paths["bjorn"].kind == "contact" and paths["bjorn"].text == "in your network"
    assert paths["carla"].kind == "shared" and paths["carla"].shared == 1
    assert [p.name for p in paths["carla"].via] == ["Bjørn Hansen"]
    assert paths["dag"].kind == "introduction"
    assert [p.name for p in paths["dag"].via] == ["Bjørn Hansen", "Carla Smith"]
    assert paths["eva"].kind == "none"


def test_an_introduction_goes_through_active_colleagues_first_by_name(
    anna, bjorn, carla, make_person
):
    from kollega.expertise.services import social_paths

    target = make_person("Tove Ask", "tove")
    ase, ada, per = (
        make_person("Åse Berg", "ase"),
        make_person("Ada Berg", "ada"),
        make_person("Per Dal", "per"),
    )
    for introducer in (ase, ada, per):
        connect(introducer, target)
    connect(anna, carla)
    connect(anna, bjorn)
    connect(carla, per)  # Carla knows Per, who knows Tove
    connect(bjorn, ase)  # Bjørn knows Åse and Ada, who know Tove
    connect(bjorn, ada)
    # By the first contact's name (Bjørn before Carla), then the second's (Ada before Åse).
    assert social_paths(anna, [target])[target.pk].via == [bjorn, ada]
    deactivate(ada)
    assert social_paths(anna, [target])[target.pk].via == [bjorn, ase]
    deactivate(bjorn)
    assert social_paths(anna, [target])[target.pk].via == [carla, per]
    deactivate(per)
    assert social_paths(anna, [target])[target.pk].kind == "none"


def test_closeness_lifts_a_contact_among_equals(anna, bjorn, carla, dag):
    tag_person(dag, bjorn, ["storage"])
    tag_person(dag, carla, ["storage"])
    assert names(find_experts(anna, "storage")) == ["bjorn", "carla"]  # tie: by id
    connect(anna, carla)
    assert names(find_experts(anna, "storage")) == ["carla", "bjorn"]


def test_filters_by_department_and_office(anna, make_person):
    lab = make_department("Lab")
    bench = make_department("Bench team", parent=lab)
    sales = make_department("Sales")
    oslo = make_office("Oslo", "Oslo", "NO")
    chemist = make_person("Kim Chem", "kim", department=bench, office=oslo)
    seller = make_person("Sam Sell", "sam", department=sales)
    for person in (chemist, seller):
        tag_person(anna, person, ["storage"])
    assert names(find_experts(anna, "storage", department=lab)) == ["kim"]
    assert names(find_experts(anna, "storage", department=sales)) == ["sam"]
    assert names(find_experts(anna, "storage", office=oslo)) == ["kim"]


@pytest.mark.parametrize("query", ["", "   ", "x" * 301])
def test_bad_queries_are_refused_clearly(anna, query):
    with pytest.raises(ValidationError):
        find_experts(anna, query)


def test_blog_entries_wiki_edits_and_bookmarks_are_evidence(anna, bjorn, carla, dag):
    from kollega.content.blogs.services import write_entry
    from kollega.content.bookmarks.models import BookmarkAudience
    from kollega.content.bookmarks.services import save_bookmark
    from kollega.content.wikis.services import create_page

    write_entry(bjorn, "Our cellar diary", "Week one.", tags=["cellar"], publish=True)
    create_page(carla, None, "Cellar rules", "Keep it at 12 degrees.")
    save_bookmark(dag, "https://example.org/cellars", "Building a cellar", tags=["cellar"])
    save_bookmark(
        anna, "https://example.org/mine", "My cellar notes", audience=BookmarkAudience.PRIVATE
    )
    experts = {e.person.user.username: e for e in find_experts(anna, "cellar")}
    assert experts["bjorn"].reasons == ["wrote “Our cellar diary”"]
    assert experts["carla"].reasons == ["edited the wiki page “Cellar rules”"]
    assert experts["dag"].reasons == ["saved the link “Building a cellar”"]
    assert experts["dag"].evidence[0].url == "https://example.org/cellars"
    # A private bookmark is evidence for nobody but its owner (who is never proposed).
    assert "anna" not in {e.person.user.username for e in find_experts(carla, "cellar")}
    assert list(experts) == ["bjorn", "carla", "dag"]  # a blog entry weighs most


def test_activity_counts_what_the_viewer_may_see_in_age_buckets(anna, bjorn, carla, dag):
    from kollega.expertise import ranking
    from kollega.expertise.evidence import activity
    from kollega.posts.models import Post
    from kollega.posts.services import post_on_board

    now = timezone.now()

    def aged(model, obj, days):
        model.objects.filter(pk=obj.pk).update(created_at=now - timedelta(days=days))

    question = ask(dag, "Cellar humidity?", tags=["storage"])
    accepted = qa.answer_question(bjorn, question, "About 70 %.")
    qa.accept_answer(dag, accepted)
    Answer.objects.filter(pk=accepted.pk).update(helpful_count=12)  # counts as 10
    aged(Answer, accepted, 10)
    aged(Answer, qa.answer_question(bjorn, ask(dag, "Corks?"), "Screw caps."), 2)
    aged(Post, post_on_board(bjorn, "Old news"), 100)
    aged(Post, post_on_board(bjorn, "Older news"), 400)  # over a year: not counted
    aged(Post, post_on_board(bjorn, "Contacts only", audience=Audience.NETWORK), 3)
    aged(Post, post_on_board(carla, "Tomorrow"), -1)  # from the future: not counted
    answer, accepted_weight, post = (
        ranking.BASE_WEIGHT[ranking.Kind.ANSWER],
        ranking.BASE_WEIGHT[ranking.Kind.ACCEPTED_ANSWER] + ranking.HELPFUL_VOTE * 10,
        ranking.BASE_WEIGHT[ranking.Kind.POST],
    )
    # Each bucket as if at its middle (3.5, 18.5, 60 and 227.5 days): answers, then posts.
    seen = ranking.activity_of([(3.5, answer), (18.5, accepted_weight), (227.5, post)])
    everything = ranking.activity_of(
        [(3.5, answer), (18.5, accepted_weight), (3.5, post), (227.5, post)]
    )
    people = [bjorn.pk, carla.pk]
    assert activity(anna, people, now) == {bjorn.pk: pytest.approx(seen, rel=1e-12)}
    assert activity(None, people, now) == {bjorn.pk: pytest.approx(everything, rel=1e-12)}


@pytest.mark.parametrize("profiles_built", [True, False], ids=["profiles", "live"])
def test_routing_prefers_who_is_around_and_who_knows_does_not(
    anna, bjorn, carla, dag, make_person, profiles_built
):
    from kollega.expertise.models import Profile
    from kollega.expertise.services import experts_for_question
    from kollega.people.models import Person

    first = ask(dag, "Which yeast for a saison?", tags=["brewing"])
    qa.answer_question(bjorn, first, "A farmhouse strain, warm.")
    qa.answer_question(carla, first, "Dupont's, if you can get it.")
    qa.answer_question(bjorn, ask(dag, "Dry hopping a saison?", tags=["brewing"]), "Lightly.")
    never = make_person("Gunnar Lund", "gunnar", seen=False)  # tagged, never signed in
    tag_person(anna, never, ["brewing"])
    tag_person(dag, never, ["brewing"])
    # Bjørn knows more but has not been seen for five weeks; Carla was here an hour ago.
    now = timezone.now()
    Person.objects.filter(pk=bjorn.pk).update(last_seen_at=now - timedelta(days=35))
    Person.objects.filter(pk=carla.pk).update(last_seen_at=now - timedelta(hours=1))
    Answer.objects.filter(author=bjorn).update(created_at=now - timedelta(days=35))
    if not profiles_built:
        Profile.objects.all().delete()
    asker = make_person("Eva Ek", "eva")
    question = ask(asker, "Saison yeast temperature?", tags=["brewing"])

    assert names(find_experts(anna, "brewing"))[:2] == ["bjorn", "carla"]
    routed = names(experts_for_question(asker, question))
    assert routed.index("carla") < routed.index("bjorn")
    assert routed[-1] == "gunnar"
    # The asker sees the same order where they send the question on.
    page = signed_in(asker).get(f"/questions/{question.pk}/").content.decode()
    offered = page.split('<ul class="suggestions">')[1].split("</ul>")[0]
    assert offered.index("Carla Smith") < offered.index("Bjørn Hansen") < offered.index("Gunnar")


def test_an_invitee_is_not_told_who_is_in_a_restricted_community(anna, bjorn, carla, eva):
    # Eva is invited: she sees the community's card, never who runs it or who is in it.
    secret = create_community(anna, "Cellar board", tags=["cellar"], kind=Community.Kind.RESTRICTED)
    accept_community_invitation(bjorn, invite_to_community(anna, secret, bjorn))
    invite_to_community(anna, secret, eva)
    assert names(find_experts(eva, "cellar")) == []
    assert names(find_experts(carla, "cellar")) == []
    # Its members see each other.
    assert names(find_experts(bjorn, "cellar")) == ["anna"]
    assert find_experts(bjorn, "cellar")[0].reasons == ["runs the community Cellar board"]
