"""A mention turned into a question or post for colleagues, through the qa and posts
services (the share guard applies), linked both ways."""

import pytest
from django.contrib.auth.models import Group

from kollega.listening import services
from kollega.listening.models import Mention, Source, Term
from kollega.listening.readers import ItemData
from kollega.people.tests.factories import signed_in
from kollega.permissions.listening import LISTENING_GROUP
from kollega.posts.models import Post
from kollega.qa.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(dag):
    group, _ = Group.objects.get_or_create(name=LISTENING_GROUP)
    dag.user.groups.add(group)
    return dag


def mention_of(body: str = "Does Kollega work offline?") -> Mention:
    Term.objects.get_or_create(phrase="kollega")
    source, _ = Source.objects.get_or_create(name="forum", url="https://forum.example/feed")
    n = Mention.objects.count() + 1
    services.store_items(
        source,
        [ItemData(external_id=str(n), title="Offline?", url=f"https://forum.example/t/{n}",
                  content_html=f"<p>{body}</p>")],
    )  # fmt: skip
    return Mention.objects.latest("pk")


def test_a_mention_becomes_a_question_quoting_and_linking_the_original(listener):
    mention = mention_of()
    browser = signed_in(listener)

    answer = browser.post(f"/listening/mentions/{mention.pk}/share/", {"as": "question",
                          "note": "Who knows?"})  # fmt: skip

    question = Question.objects.get()
    assert answer["Location"] == question.post.get_absolute_url()
    assert question.title == "What do we answer to “Offline?”?"
    assert "Who knows?" in question.post.body
    assert "> Does Kollega work offline?" in question.post.body
    assert "https://forum.example/t/1" in question.post.body  # the link to the original
    mention.refresh_from_db()
    assert mention.post == question.post  # and the mention's link to the question
    page = browser.get(f"/listening/mentions/{mention.pk}/").content.decode()
    assert f'href="{question.post.get_absolute_url()}"' in page

    again = browser.post(f"/listening/mentions/{mention.pk}/share/", {"as": "post"}, follow=True)
    assert "already shared with colleagues" in again.content.decode()
    assert Post.objects.count() == 1


def test_a_mention_becomes_a_post(listener):
    mention = mention_of()

    signed_in(listener).post(f"/listening/mentions/{mention.pk}/share/", {"as": "post"})

    post = Post.objects.get()
    assert not Question.objects.exists()
    assert post.author == listener and "https://forum.example/t/1" in post.body


def test_nobody_shares_a_mention_they_may_not_see(listener, eva):
    mention = mention_of()

    answer = signed_in(eva).post(f"/listening/mentions/{mention.pk}/share/", {"as": "post"})

    assert answer.status_code == 404
    assert not Post.objects.exists()
    mention.refresh_from_db()
    assert mention.post is None


def test_the_share_guard_stops_a_mention_with_a_secret_and_nothing_is_shared(listener):
    mention = mention_of("Kollega key is AKIAIOSFODNN7EXAMPLE, see?")

    answer = signed_in(listener).post(
        f"/listening/mentions/{mention.pk}/share/", {"as": "post", "next": "mention"}, follow=True
    )

    assert "cannot be shared" in answer.content.decode() or "give a reason" in (
        answer.content.decode()
    )
    assert not Post.objects.exists()
    mention.refresh_from_db()
    assert mention.post is None
