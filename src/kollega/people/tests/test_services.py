"""Profiles, the directory and tags on people, as the services enforce them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollega.notifications.models import Notification
from kollega.people import directory
from kollega.people.models import Person, PersonTag
from kollega.people.services import (
    create_person,
    find_people,
    remove_person_tag,
    tag_person,
    tags_on,
    time_zone_of,
    update_profile,
)
from kollega.people.tests.factories import deactivate, make_department, make_office
from kollega.tags.models import Tag

pytestmark = pytest.mark.django_db


def fresh(person: Person) -> Person:
    return Person.objects.select_related("user").get(pk=person.pk)


# --- Profiles ---------------------------------------------------------------


def test_a_new_colleague_signs_in_with_their_password_which_is_stored_hashed(db, client):
    person = create_person(" Lena ", "Lena Ek", email="lena@example.org", password="s3cret-pass!")
    password = person.user.password
    assert password.startswith("pbkdf2_sha256$") and "s3cret-pass!" not in password
    assert client.login(username="lena", password="s3cret-pass!")
    assert not client.login(username="lena", password="wrong-pass!")
    nobody = create_person("nopass", "No Password")
    assert not nobody.user.has_usable_password()
    with pytest.raises(ValidationError, match="taken"):
        create_person("LENA", "Another Lena", password="x")


def test_a_profile_change_is_saved_and_trimmed(anna):
    update_profile(anna, title="  Sommelier  ", phone="+46 8 123")
    anna = fresh(anna)
    assert anna.title == "Sommelier"
    assert anna.phone == "+46 8 123"


@pytest.mark.parametrize("field", ["user", "joined_at", "is_staff", "id"])
def test_update_profile_refuses_unknown_fields_and_saves_nothing(anna, field):
    with pytest.raises(ValidationError, match=field):
        update_profile(anna, title="Boss", **{field: None})
    assert fresh(anna).title == ""


def test_a_bad_value_is_refused_and_nothing_is_saved(anna):
    with pytest.raises(ValidationError):
        update_profile(anna, title="Boss", board_visibility="everyone-on-earth")
    assert fresh(anna).title == ""
    assert fresh(anna).board_visibility == Person.BoardVisibility.ORGANISATION


def test_a_manager_cycle_is_refused_with_a_clear_message_and_nothing_saved(anna, bjorn):
    update_profile(anna, manager=bjorn)
    with pytest.raises(ValidationError) as caught:
        update_profile(bjorn, manager=anna, title="Head of wine")
    assert caught.value.code == "manager_cycle"
    assert "Bjørn Hansen cannot report to someone who reports to them." in caught.value.messages
    bjorn = fresh(bjorn)
    assert bjorn.manager is None
    assert bjorn.title == ""


def test_a_longer_manager_cycle_is_refused_too(anna, bjorn, carla):
    update_profile(anna, manager=bjorn)
    update_profile(bjorn, manager=carla)
    with pytest.raises(ValidationError, match="reports to them"):
        update_profile(carla, manager=fresh(anna))
    assert fresh(carla).manager is None


def test_nobody_can_be_their_own_manager(anna):
    with pytest.raises(ValidationError, match="reports to them"):
        update_profile(anna, manager=anna)
    assert fresh(anna).manager is None


def test_reporting_chain_runs_from_the_own_manager_to_the_top(anna, bjorn, carla):
    update_profile(anna, manager=bjorn)
    update_profile(bjorn, manager=carla)
    assert fresh(anna).reporting_chain() == [bjorn, carla]
    assert fresh(bjorn).reporting_chain() == [carla]
    assert fresh(carla).reporting_chain() == []


def test_department_ancestry_runs_from_the_top_down():
    group = make_department("Group")
    wine = make_department("Wine", parent=group)
    red = make_department("Red", parent=wine)
    assert red.ancestry() == [group, wine, red]
    assert group.ancestry() == [group]


# --- The directory ----------------------------------------------------------


def test_find_people_matches_every_name_word_in_any_order(anna, bjorn, make_person):
    make_person("Anna Berg", "annab")
    assert list(find_people("lindqvist anna")) == [anna]
    assert {p.pk for p in find_people("anna")} == {anna.pk, Person.objects.get(name="Anna Berg").pk}
    assert list(find_people("bjorn")) == [bjorn]  # the user name counts too
    assert list(find_people("nobody-called-this")) == []


def test_colleagues_who_share_a_name_each_keep_one_place_page_after_page(make_person):
    namesakes = [make_person("Maria Berg", f"maria{i}").pk for i in range(5)]
    make_person("Maria Ahl", "mariaa")
    pages = [list(find_people("maria")[start : start + 2]) for start in range(0, 6, 2)]
    listed = [p.pk for page in pages for p in page]
    assert listed[1:] == namesakes  # after Maria Ahl, in the order they joined, once each


def test_a_typed_word_finds_the_people_with_a_word_starting_with_it(anna, make_person):
    jan = make_person("Jan Andersson", "jan")
    analyst = make_person("Kim Berg", "kim", title="Wine analyst")
    johan = make_person("Johan Ek", "johan")
    found = {p.pk for p in find_people("an")}
    assert found == {anna.pk, jan.pk, analyst.pk}  # name, surname, job title
    assert johan.pk not in found  # the middle of a word does not count
    assert list(find_people("lindq ANNA")) == [anna]  # any order, any case


@pytest.mark.parametrize("cap", [1, 2, 500])  # every word common; "lindq" rare; all rare
def test_several_words_find_the_same_people_however_common_each_word_is(
    anna, make_person, monkeypatch, cap
):
    monkeypatch.setattr(directory, "RARITY_CAP", cap)
    berg = make_person("Anna Berg", "annab", title="Analyst")
    make_person("Jan Lindqvist", "jan")
    assert list(find_people("anna lindq")) == [anna]
    assert list(find_people("lindq anna")) == [anna]
    assert list(find_people("an anna berg")) == [berg]  # "an" also starts Analyst
    assert list(find_people("a an anna")) == [berg, anna]
    assert list(find_people("jan anna")) == []


def test_accents_do_not_matter_and_punctuation_splits_words(make_person):
    rene = make_person("René Dupont", "rene.d")
    assert list(find_people("rene")) == [rene]
    assert list(find_people("dupont")) == [rene]
    assert list(find_people("rene.d")) == [rene]  # the user name, word by word


def test_a_new_name_title_or_user_name_is_found_at_once(anna):
    update_profile(anna, name="Anna Ek", title="Buyer")
    assert list(find_people("ek buy")) == [anna]
    assert list(find_people("lindqvist")) == []
    anna.user.username = "aek"
    anna.user.save()
    assert list(find_people("aek")) == [anna]


def test_find_people_by_department_includes_sub_departments(anna, bjorn, carla):
    wine = make_department("Wine")
    red = make_department("Red", parent=wine)
    update_profile(anna, department=wine)
    update_profile(bjorn, department=red)
    assert list(find_people(department=wine)) == [anna, bjorn]
    assert list(find_people(department=red)) == [bjorn]


def test_find_people_by_office(anna, bjorn):
    oslo = make_office("Oslo", "Oslo", "NO")
    update_profile(bjorn, office=oslo)
    assert list(find_people(office=oslo, viewer=anna)) == [bjorn]


def test_find_people_by_tag_lists_each_person_once(anna, bjorn, carla):
    tag_person(anna, anna, ["wine"])
    tag_person(bjorn, anna, ["wine"])
    tag_person(carla, anna, ["wine"])
    assert list(find_people(tag="#Wine")) == [anna]
    assert list(find_people(tag="cheese")) == []


def test_deactivated_people_are_not_in_the_directory(anna, bjorn):
    tag_person(bjorn, bjorn, ["wine"])
    deactivate(bjorn)
    assert list(find_people()) == [anna]
    assert list(find_people("bjørn")) == []
    assert list(find_people(tag="wine")) == []


# --- Tags on people ---------------------------------------------------------


def test_a_self_tag_and_a_colleague_tag_record_who_tagged(anna, bjorn):
    tag_person(anna, anna, ["Wine"])
    tag_person(bjorn, anna, ["#wine", "cheese"])
    links = PersonTag.objects.filter(person=anna).order_by("tag__name", "added_by__name")
    assert [(link.tag.name, link.added_by, link.is_self_tag) for link in links] == [
        ("cheese", bjorn, False),
        ("wine", anna, True),
        ("wine", bjorn, False),
    ]


def test_tagging_twice_with_the_same_tag_counts_once(anna, bjorn):
    tag_person(bjorn, anna, ["wine"])
    tag_person(bjorn, anna, ["WINE"])
    assert PersonTag.objects.filter(person=anna).count() == 1


def test_tags_on_counts_distinct_colleagues_and_marks_self_tags(anna, bjorn, carla):
    tag_person(anna, anna, ["wine", "python"])
    tag_person(bjorn, anna, ["wine", "cheese"])
    tag_person(carla, anna, ["wine"])
    tag_person(carla, anna, ["wine"])
    assert tags_on(anna) == [
        {"name": "wine", "colleagues": 2, "self": True},
        {"name": "cheese", "colleagues": 1, "self": False},
        {"name": "python", "colleagues": 0, "self": True},
    ]


def test_a_person_can_remove_any_tag_on_themself(anna, bjorn, carla):
    tag_person(bjorn, anna, ["wine"])
    tag_person(carla, anna, ["wine"])
    tag_person(anna, anna, ["wine"])
    assert remove_person_tag(anna, anna, Tag.objects.get(name="wine")) == 3
    assert tags_on(anna) == []


def test_a_colleague_can_remove_only_the_tag_they_gave(anna, bjorn, carla):
    tag_person(bjorn, anna, ["wine"])
    tag_person(carla, anna, ["wine", "cheese"])
    wine, cheese = Tag.objects.get(name="wine"), Tag.objects.get(name="cheese")
    assert remove_person_tag(bjorn, anna, wine) == 1
    with pytest.raises(PermissionDenied):
        remove_person_tag(bjorn, anna, cheese)
    with pytest.raises(PermissionDenied):
        remove_person_tag(bjorn, anna, wine)  # already taken back; carla's stays
    assert tags_on(anna) == [
        {"name": "cheese", "colleagues": 1, "self": False},
        {"name": "wine", "colleagues": 1, "self": False},
    ]
    assert [link.added_by for link in PersonTag.objects.filter(person=anna, tag=wine)] == [carla]


@pytest.mark.parametrize(
    "bad",
    [[""], ["   "], ["##"], ["x" * 60], ["<script>"], ["good", "<script>"], ["wine-"], ["a b"]],
)
def test_bad_tag_names_are_refused_and_nothing_is_saved(anna, bjorn, bad):
    with pytest.raises(ValidationError):
        tag_person(bjorn, anna, bad)
    assert PersonTag.objects.count() == 0
    assert Tag.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_fifty_character_tag_is_fine(anna):
    tag_person(anna, anna, ["x" * 50])
    assert tags_on(anna)[0]["name"] == "x" * 50


def test_a_deactivated_colleague_cannot_be_tagged(anna, bjorn):
    deactivate(bjorn)
    with pytest.raises(ValidationError):
        tag_person(anna, fresh(bjorn), ["wine"])
    assert PersonTag.objects.count() == 0


def test_tagging_a_colleague_notifies_them(anna, bjorn):
    tag_person(bjorn, anna, ["wine", "cheese"])
    notes = Notification.objects.filter(recipient=anna, kind=Notification.Kind.TAGGED)
    assert sorted((n.actor, n.tag.name) for n in notes) == [(bjorn, "cheese"), (bjorn, "wine")]
    tag_person(bjorn, anna, ["wine"])  # nothing new: no second notification
    assert notes.count() == 2


def test_tagging_oneself_notifies_nobody(anna):
    tag_person(anna, anna, ["wine"])
    assert Notification.objects.count() == 0


def test_a_persons_time_zone_is_their_own_else_their_offices_else_the_sites(anna, settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    assert str(time_zone_of(anna)) == "Europe/Stockholm"
    oslo = make_office("Oslo", "Oslo", "NO")
    oslo.time_zone = "Europe/Oslo"
    oslo.save()
    update_profile(anna, office=oslo)
    assert str(time_zone_of(fresh(anna))) == "Europe/Oslo"
    update_profile(anna, time_zone="America/New_York")
    assert str(time_zone_of(fresh(anna))) == "America/New_York"


def test_an_unknown_time_zone_is_refused_and_the_old_one_kept(anna):
    update_profile(anna, time_zone="Europe/London")
    with pytest.raises(ValidationError, match="Unknown time zone"):
        update_profile(fresh(anna), time_zone="Europe/Atlantis")
    assert fresh(anna).time_zone == "Europe/London"
