"""The ranking's shortcuts change nothing: the visibility rule compiled once per process
is the rule built for each viewer, and id lists written into the SQL are the ORM's lists."""

import pytest
from django.db.models import Count

from kollega.communities.models import Community
from kollega.communities.services import create_community, post_in_community
from kollega.expertise.evidence import listed, visible_posts
from kollega.expertise.services import find_experts
from kollega.network.services import connect
from kollega.people.tests.factories import deactivate
from kollega.permissions.compiled import ANYONE_ID
from kollega.permissions.posts import visible_filter
from kollega.posts.models import Audience, Post
from kollega.posts.services import post_on_board
from kollega.qa import services as qa
from kollega.qa.models import Answer, Question
from kollega.qa.tests.factories import ask

PATHS = [(Post, ""), (Question, "post__"), (Answer, "question__post__")]


def names(experts):
    return [e.person.user.username for e in experts]


@pytest.mark.parametrize(("model", "prefix"), PATHS)
def test_the_rule_compiled_once_is_the_sql_built_for_the_viewer(anna, bjorn, model, prefix):
    for viewer in (anna, bjorn, anna):  # the cache is filled by the first, used by the others
        rows = model.objects.filter(pk__gt=0).values("pk").annotate(n=Count("pk")).order_by()
        built = rows.filter(visible_filter(viewer, prefix=prefix)).query.sql_with_params()
        compiled = rows.filter(visible_posts(viewer, prefix=prefix)).query.sql_with_params()
        assert compiled == built
        assert viewer.pk in compiled[1] and ANYONE_ID not in compiled[1]


@pytest.fixture
def posts(anna, bjorn, carla, make_person):
    """A post of every audience, seen differently by each of the people."""
    dag = make_person("Dag Berg", "dag")
    connect(bjorn, carla)
    secret = create_community(dag, "Cellar", kind=Community.Kind.RESTRICTED)
    return [
        post_on_board(anna, "For everyone"),
        post_on_board(bjorn, "For my network", audience=Audience.NETWORK),
        post_on_board(bjorn, "On Carla's board", carla, audience=Audience.BOARD),
        post_in_community(dag, secret, "For members"),
    ], dag


def test_each_viewer_in_turn_sees_what_the_rule_lets_them_see(anna, bjorn, carla, posts):
    _made, dag = posts
    deactivate(carla)
    seen = {}
    for viewer in (anna, bjorn, carla, dag, anna, bjorn):
        compiled = set(Post.objects.filter(visible_posts(viewer)).values_list("pk", flat=True))
        built = set(Post.objects.filter(visible_filter(viewer)).values_list("pk", flat=True))
        assert compiled == built
        seen.setdefault(viewer.pk, compiled)
        assert seen[viewer.pk] == compiled
    assert seen[carla.pk] == set()  # a colleague who left sees nothing
    assert len({frozenset(s) for s in seen.values()}) == 4  # nobody borrows another's view


def test_two_viewers_in_sequence_each_rank_on_their_own_evidence(anna, bjorn, carla, make_person):
    dag = make_person("Dag Berg", "dag")
    connect(bjorn, carla)
    question = ask(bjorn, "Humidity in the cellar?", tags=["storage"], audience=Audience.BOARD)
    qa.answer_question(carla, question, "Around 70 %.")
    for _ in range(2):
        assert "carla" in names(find_experts(bjorn, "storage"))
        assert names(find_experts(dag, "storage")) == []


def test_ids_written_into_the_sql_are_the_orm_list(anna):
    ids = [5, 3, None, 5, 8]
    plain = Answer.objects.filter(question_id__in=ids).values("pk").query.sql_with_params()
    assert (
        Answer.objects.filter(question_id__in=listed(ids)).values("pk").query.sql_with_params()
        == plain
    )
    assert list(Answer.objects.filter(question_id__in=listed([]))) == []
