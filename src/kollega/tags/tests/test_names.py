"""One tag name however it is typed: composed or decomposed, `ß` or `SS`, `#Wine` or `wine`."""

import importlib

import pytest
from django.apps import apps

from kollega.network.models import TagFollow
from kollega.people import services as people
from kollega.people.tests.factories import signed_in
from kollega.posts import services as posts
from kollega.posts.models import PostTag
from kollega.qa import services as qa
from kollega.tags.models import Tag
from kollega.tags.services import get_or_create_tags, normalise_tag, tag_key

pytestmark = pytest.mark.django_db

casefold_migration = importlib.import_module("kollega.tags.migrations.0002_casefold_tag_names")


def test_sharp_s_and_double_s_and_decomposed_letters_are_one_tag():
    assert normalise_tag("ß") == normalise_tag("SS") == normalise_tag("#ss") == "ss"
    assert normalise_tag("no\u0308rm") == normalise_tag("N\u00d6RM") == "n\u00f6rm"
    assert tag_key(" #Stra\u00dfe ") == "strasse"
    assert [t.name for t in get_or_create_tags(["ß", "SS", "nörm", "no\u0308rm"])] == [
        "nörm",
        "ss",
    ]
    assert Tag.objects.count() == 2


def test_people_tagged_either_way_share_the_tag_and_its_page(anna, bjorn):
    people.tag_person(anna, anna, ["Straße"])
    people.tag_person(bjorn, bjorn, ["STRASSE"])
    people.tag_person(bjorn, bjorn, ["no\u0308rm"])  # refused before: decomposed ö
    assert Tag.objects.filter(name="strasse").count() == 1
    page = signed_in(anna).get("/tags/Stra%C3%9Fe/")
    assert page.status_code == 200
    assert "Anna Lindqvist" in page.content.decode() and "Bjørn Hansen" in page.content.decode()
    assert [p.name for p in people.find_people(tag="#STRASSE")] == [
        "Anna Lindqvist",
        "Bjørn Hansen",
    ]


def test_the_api_finds_questions_by_a_tag_however_it_is_spelt(api_as, anna):
    question = qa.ask_question(anna, "Who reads Fraktur?", tags=["Fraktur", "Straße"])
    for spelling in ("STRASSE", "#Straße", "strasse"):
        found = api_as(anna).get("/questions", {"tag": spelling}).json()["items"]
        assert [q["id"] for q in found] == [question.pk], spelling


def test_the_migration_merges_tags_that_became_one_and_keeps_every_link(anna, bjorn):
    old = Tag.objects.create(name="ß")  # as lower() kept it
    new = Tag.objects.create(name="ss")
    both = posts.post_on_board(anna, "Tagged both ways.")
    PostTag.objects.create(post=both, tag=old)
    PostTag.objects.create(post=both, tag=new)
    only_old = posts.post_on_board(bjorn, "Tagged the old way.")
    PostTag.objects.create(post=only_old, tag=old)
    TagFollow.objects.create(follower=anna, tag=old)
    renamed = Tag.objects.create(name="ς")  # Greek final sigma folds to σ
    casefold_migration.casefold_tag_names(apps, None)
    assert list(Tag.objects.values_list("name", flat=True)) == ["ss", "σ"]
    assert Tag.objects.get(name="σ").pk == renamed.pk
    assert set(PostTag.objects.values_list("post_id", "tag_id")) == {
        (both.pk, new.pk),
        (only_old.pk, new.pk),
    }
    assert TagFollow.objects.get(follower=anna).tag_id == new.pk
