"""The index follows every write, and `kollega reindex` rebuilds it."""

import io

import pytest
from django.core.management import call_command

from kollega.communities.services import create_community, update_community
from kollega.people.models import PersonTag
from kollega.people.services import remove_person_tag, tag_person, update_profile
from kollega.people.tests.factories import deactivate
from kollega.posts.models import Audience, Post
from kollega.posts.services import comment_on_post, delete_comment, delete_post, post_on_board
from kollega.qa.services import answer_question, ask_question
from kollega.search.models import SearchDocument
from kollega.search.services import search

pytestmark = pytest.mark.django_db


def found(viewer, text) -> list[tuple[str, int]]:
    return [(h.document.kind, h.document.object_id) for h in search(viewer, text).hits]


def test_a_new_post_is_found_at_once_and_gone_once_deleted(anna, bjorn):
    post = post_on_board(bjorn, "Gooseberry jam recipe")
    assert found(anna, "gooseberry") == [("post", post.pk)]
    delete_post(bjorn, post)
    assert found(anna, "gooseberry") == []
    assert not SearchDocument.objects.filter(kind="post", object_id=post.pk).exists()


def test_an_edited_post_is_found_by_its_new_words(anna, bjorn):
    post = post_on_board(bjorn, "Rhubarb")
    post.body = "Elderflower cordial"
    post.save()
    assert found(anna, "rhubarb") == []
    assert found(anna, "elderflower") == [("post", post.pk)]


def test_a_changed_audience_counts_at_once(anna, bjorn):
    post = post_on_board(bjorn, "Quince harvest")
    assert found(anna, "quince") == [("post", post.pk)]
    Post.objects.filter(pk=post.pk).update(audience=Audience.NETWORK)  # no signal at all
    assert found(anna, "quince") == []


def test_comments_questions_and_answers_are_indexed_and_follow_their_post(anna, bjorn, carla):
    post = post_on_board(bjorn, "Plum brandy")
    comment = comment_on_post(carla, post, "Slivovitz is plum brandy")
    assert ("comment", comment.pk) in found(anna, "slivovitz")
    delete_comment(carla, comment)
    assert found(anna, "slivovitz") == []
    question = ask_question(anna, "Where do cloudberries grow?", tags=["berries"])
    # Asked: indexed once, as the question (not also as a plain post).
    assert found(bjorn, "cloudberries") == [("question", question.pk)]
    answer = answer_question(bjorn, question, "Bogs in Norrland have hjortron.")
    assert found(carla, "hjortron") == [("answer", answer.pk)]
    delete_post(anna, question.post)
    assert not SearchDocument.objects.filter(post_id=question.post_id).exists()


def test_people_are_found_by_profile_and_tags_and_not_once_they_left(anna, bjorn):
    update_profile(bjorn, title="Cellar master")
    assert found(anna, "cellar") == [("person", bjorn.pk)]
    tag_person(anna, bjorn, ["sommelier"])
    assert found(anna, "sommelier") == [("person", bjorn.pk)]
    remove_person_tag(bjorn, bjorn, PersonTag.objects.get(person=bjorn).tag)
    assert found(anna, "sommelier") == []
    deactivate(bjorn)
    assert found(anna, "cellar") == []


def test_a_community_is_found_by_its_new_name_and_tags(anna, bjorn):
    community = create_community(bjorn, "Wine club")
    update_community(bjorn, community, "Natural wine club", "Orange wines", ["amphora"])
    assert found(anna, "natural") == [("community", community.pk)]
    assert found(anna, "amphora") == [("community", community.pk)]


def test_a_rolled_back_write_leaves_no_document(anna, bjorn):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        post_on_board(bjorn, "Mulberry wine")
        raise RuntimeError
    assert found(anna, "mulberry") == []


def test_reindex_rebuilds_what_bulk_writes_skipped(anna, bjorn):
    post_on_board(bjorn, "Lingonberry")
    Post.objects.bulk_create(
        [
            Post(author=bjorn, board_owner=bjorn, body="Bulk blackcurrant", body_html="",
                 created_at=bjorn.joined_at, last_activity_at=bjorn.joined_at)
        ]
    )  # fmt: skip
    assert found(anna, "blackcurrant") == []
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", stdout=out, stderr=err)
    assert "Indexed" in out.getvalue()
    assert "post" in err.getvalue()  # the progress bar
    assert len(found(anna, "blackcurrant")) == 1
    assert len(found(anna, "lingonberry")) == 1
    # The index follows writes again after a rebuild.
    post = post_on_board(bjorn, "Sea buckthorn")
    assert found(anna, "buckthorn") == [("post", post.pk)]
    delete_post(bjorn, post)
    assert found(anna, "buckthorn") == []


def test_reindex_keeps_the_tags_of_posts_questions_people_and_communities(anna, bjorn):
    post_on_board(bjorn, "Cloudberry jam #preserves")
    ask_question(bjorn, "Cloudberry season?", tags=["preserves"])
    tag_person(anna, bjorn, ["preserves"])
    create_community(bjorn, "Cloudberry pickers", tags=["preserves"])
    before = search(anna, "cloudberry preserves").facets["tag"]
    call_command("reindex", "--no-progress", stdout=io.StringIO())
    after = search(anna, "cloudberry preserves").facets["tag"]
    assert [(v.value, v.count) for v in after] == [(v.value, v.count) for v in before]
    assert [(v.value, v.count) for v in after] == [("preserves", 3)]
    assert found(anna, "preserves")  # Bjørn, by the tag on him, among others
    assert ("person", bjorn.pk) in found(anna, "preserves")
