"""What is recommended to whom, and why; and what never is."""

import pytest
from django.test import override_settings

from kollega.communities.models import Community
from kollega.communities.services import (
    accept_community_invitation,
    create_community,
    invite_to_community,
    join_community,
)
from kollega.content.bookmarks.services import save_bookmark
from kollega.network.services import connect, follow_tag, send_invitation
from kollega.people.services import tag_person, update_privacy
from kollega.people.tests.factories import deactivate, make_department, make_person
from kollega.posts.models import Audience
from kollega.posts.services import comment_on_post, post_on_board, recommend_post
from kollega.qa.services import answer_question, ask_question
from kollega.recommendations.services import (
    colleagues_like,
    dismiss,
    recommend,
    recommend_communities,
    recommend_content,
    recommend_people,
)

pytestmark = pytest.mark.django_db


def titles(recommendations):
    return [r.title for r in recommendations]


def reasons_for(recommendations, title):
    return next(r.reasons for r in recommendations if r.title == title)


@pytest.fixture
def circle():
    """Anna knows Bo and Cy; both know Dana, whom Anna does not know yet."""
    anna, bo, cy, dana = (make_person(name) for name in ("Anna", "Bo", "Cy", "Dana"))
    connect(anna, bo)
    connect(anna, cy)
    connect(bo, dana)
    connect(cy, dana)
    return anna, bo, cy, dana


def test_a_colleague_of_two_contacts_is_suggested_with_the_shared_contacts_counted(circle):
    anna, bo, cy, dana = circle
    people = recommend_people(anna)
    assert titles(people) == ["Dana"]
    assert people[0].kind == "person" and people[0].id == dana.pk
    assert people[0].url == "/people/dana/"
    assert people[0].reasons == ["You share 2 contacts"]


def test_contacts_oneself_and_invited_colleagues_are_never_suggested(circle):
    anna, bo, cy, dana = circle
    send_invitation(anna, dana)
    assert recommend_people(anna) == []


def test_a_colleague_who_left_is_never_suggested(circle):
    anna, _bo, _cy, dana = circle
    deactivate(dana)
    assert recommend_people(anna) == []


def test_a_colleague_who_said_no_to_being_suggested_is_never_suggested(circle):
    anna, _bo, _cy, dana = circle
    update_privacy(dana, in_recommendations=False)
    assert recommend(anna) == []


def test_shared_contacts_of_someone_who_keeps_their_contacts_are_neither_counted_nor_said(circle):
    anna, _bo, _cy, dana = circle
    update_privacy(dana, contacts_seen_by="only_me")
    assert recommend_people(anna) == []
    # Found another way (the same department), the reason never tells of shared contacts.
    team = make_department("Brewing")
    for person in (anna, dana):
        person.department = team
        person.save(update_fields=["department"])
    people = recommend_people(anna)
    assert titles(people) == ["Dana"]
    assert people[0].reasons == ["Also in Brewing"]


def test_a_shared_tag_and_an_answer_to_my_question_are_reasons(circle):
    anna, bo, _cy, _dana = circle
    eve = make_person("Eve")
    tag_person(anna, anna, ["yeast"])
    tag_person(eve, eve, ["yeast"])
    question = ask_question(anna, "Which yeast for a saison?")
    answer_question(eve, question, "Dupont's strain.")
    people = recommend_people(anna)
    assert reasons_for(people, "Eve") == ["Answered your question", "Also knows #yeast"]


def test_communities_of_my_contacts_and_on_my_followed_tags_are_suggested(circle):
    anna, bo, cy, dana = circle
    brewers = create_community(dana, "Brewers")
    join_community(bo, brewers)
    join_community(cy, brewers)
    create_community(dana, "Farmhouse", tags=["saison"])
    follow_tag(anna, "saison")
    communities = recommend_communities(anna)
    assert titles(communities) == ["Brewers", "Farmhouse"]
    assert communities[0].reasons == ["2 of your contacts are members"]
    assert communities[1].reasons == ["About #saison, which you follow"]


def test_joined_and_restricted_communities_are_never_suggested(circle):
    anna, bo, cy, dana = circle
    follow_tag(anna, "saison")
    joined = create_community(dana, "Joined", tags=["saison"])
    join_community(anna, joined)
    secret = create_community(bo, "Secret", tags=["saison"], kind=Community.Kind.RESTRICTED)
    invitation = invite_to_community(bo, secret, cy)
    accept_community_invitation(cy, invitation)
    assert recommend_communities(anna) == []


def test_contacts_in_a_restricted_community_i_am_only_invited_to_are_never_counted(circle):
    anna, bo, cy, dana = circle
    secret = create_community(bo, "Secret", kind=Community.Kind.RESTRICTED)
    accept_community_invitation(cy, invite_to_community(bo, secret, cy))
    invite_to_community(bo, secret, anna)  # Anna sees the card, never who is in it
    invite_to_community(bo, secret, dana)
    assert recommend_communities(anna) == []


def test_posts_my_department_liked_or_discussed_are_suggested_with_how_many(circle):
    anna, bo, cy, dana = circle
    team = make_department("Brewing")
    for person in (anna, bo, cy):
        person.department = team
        person.save(update_fields=["department"])
    post = post_on_board(dana, "Our new saison is on tap.")
    recommend_post(bo, post)
    comment_on_post(cy, post, "Tasted it: great.")
    content = recommend_content(anna)
    assert titles(content) == ["Our new saison is on tap."]
    assert content[0].url == f"/posts/{post.pk}/"
    assert content[0].reasons == [
        "2 people in your department liked, saved or commented on this",
        "2 of your contacts liked, saved or commented on this",
    ]


def test_a_question_my_contact_saved_is_suggested_but_not_if_the_bookmark_is_private(circle):
    anna, bo, cy, dana = circle
    question = ask_question(dana, "Which hops for a pale ale?")
    kept = ask_question(dana, "Which malt for a stout?")
    save_bookmark(bo, f"https://intranet.example/questions/{question.pk}/", "Hops")
    save_bookmark(cy, f"https://intranet.example/questions/{kept.pk}/", "Malt", audience="private")
    content = recommend_content(anna)
    assert titles(content) == ["Which hops for a pale ale?"]
    assert content[0].id == question.post_id
    assert content[0].url == question.get_absolute_url()
    assert content[0].reasons == ["1 of your contacts liked, saved or commented on this"]
    post = post_on_board(dana, "Tap list.")  # a post's page counts as before
    save_bookmark(cy, f"https://intranet.example/posts/{post.pk}/", "Taps")
    assert sorted(titles(recommend_content(anna))) == ["Tap list.", "Which hops for a pale ale?"]


def test_content_i_may_not_see_wrote_or_liked_is_never_suggested(circle):
    anna, bo, cy, dana = circle
    hidden = post_on_board(dana, "For my network only.", audience=Audience.NETWORK)
    own = post_on_board(anna, "My own post.")
    liked = post_on_board(dana, "Already liked.")
    for post in (hidden, own, liked):
        recommend_post(bo, post)
    recommend_post(anna, liked)
    assert recommend_content(anna) == []


def test_not_interested_is_remembered_for_each_kind(circle):
    anna, bo, cy, dana = circle
    brewers = create_community(dana, "Brewers")
    join_community(bo, brewers)
    post = post_on_board(dana, "Tap list.")
    recommend_post(bo, post)
    assert {r.kind for r in recommend(anna)} == {"person", "community", "content"}
    dismiss(anna, "person", dana.pk)
    dismiss(anna, "community", brewers.pk)
    dismiss(anna, "content", post.pk)
    dismiss(anna, "content", post.pk)  # twice is once
    assert recommend(anna) == []


@override_settings(KOLLEGA_RECOMMENDATIONS_CACHE_SECONDS=300)
def test_a_dismissal_clears_the_cached_recommendations_at_once(circle):
    anna, _bo, _cy, dana = circle
    assert titles(recommend(anna)) == ["Dana"]
    dismiss(anna, "person", dana.pk)
    assert recommend(anna) == []


def test_a_dismissal_of_an_unknown_kind_or_id_is_refused(circle):
    from django.core.exceptions import ValidationError

    anna = circle[0]
    for kind, object_id in (("friend", 1), ("person", 0), ("person", -3), ("person", 2**63)):
        with pytest.raises(ValidationError):
            dismiss(anna, kind, object_id)


def test_someone_who_left_gets_no_recommendations(circle):
    anna = circle[0]
    deactivate(anna)
    assert recommend(anna) == []


def test_colleagues_like_someone_share_their_rarest_tags():
    anna, bo, cy, dana = (make_person(name) for name in ("Anna", "Bo", "Cy", "Dana"))
    tag_person(bo, bo, ["yeast", "hops"])
    tag_person(cy, cy, ["yeast"])
    tag_person(dana, dana, ["hops"])
    update_privacy(dana, in_recommendations=False)
    liked = colleagues_like(anna, bo)
    assert titles(liked) == ["Cy"]
    assert liked[0].reasons == ["Also knows #yeast"]


def test_reasons_come_in_the_readers_language(circle):
    from django.utils import translation

    anna = circle[0]
    with translation.override("sv"):
        assert recommend_people(anna)[0].reasons == ["Ni har 2 gemensamma kontakter"]
    with translation.override("nb"):
        assert recommend_people(anna)[0].reasons == ["Dere har 2 felles kontakter"]
