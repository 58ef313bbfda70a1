"""GET /api/v1/listening/items: paged, for the listening team only."""

import pytest
from django.contrib.auth.models import Group

from kollega.listening.models import Item, Source
from kollega.people.tests.factories import deactivate
from kollega.permissions.listening import LISTENING_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(db):
    news = Source.objects.create(name="news", url="https://news.example/feed")
    toots = Source.objects.create(name="toots", kind=Source.Kind.MASTODON_TAG)
    for n in range(5):
        Item.objects.create(source=news, external_id=f"n{n}", title=f"News {n}",
                            url=f"https://news.example/{n}", content_html="<p>Hej</p>")  # fmt: skip
    Item.objects.create(source=toots, external_id="1", title="A toot", author="Alice",
                        matched_terms=["kollega"])  # fmt: skip
    return news


def on_the_team(person):
    group, _ = Group.objects.get_or_create(name=LISTENING_GROUP)
    person.user.groups.add(group)
    return person


def test_the_listening_team_pages_through_a_sources_items_newest_first(api_as, dag, items):
    client = api_as(on_the_team(dag))

    first = client.get("/listening/items", {"source": "news", "limit": 2}).json()

    assert [i["title"] for i in first["items"]] == ["News 4", "News 3"]
    assert set(first["items"][0]) == {
        "id", "source", "title", "url", "author", "published", "content_html", "matched_terms",
    }  # fmt: skip
    assert first["items"][0]["source"] == "news"
    assert first["next"].startswith(
        "http://testserver/api/v1/listening/items?source=news&limit=2&before="
    )
    titles = [i["title"] for i in first["items"]]
    following = first["next"]
    while following:
        page = client.client.get(following).json()
        titles += [i["title"] for i in page["items"]]
        following = page["next"]
    assert titles == ["News 4", "News 3", "News 2", "News 1", "News 0"]


def test_without_a_source_every_sources_items_are_listed(api_as, dag, items):
    answer = api_as(on_the_team(dag)).get("/listening/items").json()

    assert [i["source"] for i in answer["items"]] == ["toots"] + ["news"] * 5
    assert answer["items"][0]["matched_terms"] == ["kollega"] and answer["next"] is None


def test_an_unknown_source_is_404(api_as, dag, items):
    answer = api_as(on_the_team(dag)).get("/listening/items", {"source": "nope"})
    assert answer.status_code == 404


def test_staff_may_read_listening_and_other_colleagues_may_not(api_as, dag, eva, items):
    dag.user.is_staff = True
    dag.user.save()

    assert api_as(dag).get("/listening/items").status_code == 200
    refused = api_as(eva).get("/listening/items")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Listening is for staff and the listening team."}


def test_someone_who_left_the_team_or_the_organisation_reads_nothing(api_as, dag, items):
    client = api_as(on_the_team(dag))
    deactivate(dag)
    assert client.get("/listening/items").status_code == 401


def test_bad_paging_parameters_are_400(api_as, dag, items):
    client = api_as(on_the_team(dag))
    for params in ({"limit": 0}, {"before": 0}, {"before": 2**70}, {"source": ""}):
        assert client.get("/listening/items", params).status_code == 400, params
