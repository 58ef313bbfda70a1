"""When colleagues were last seen: noted by their requests, at most once per half hour."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kollega.api.services import create_token
from kollega.api.tests.conftest import ApiClient
from kollega.people.models import Person
from kollega.people.presence import SEEN_EVERY, last_seen
from kollega.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def seen_at(person):
    return Person.objects.values_list("last_seen_at", flat=True).get(pk=person.pk)


def test_a_signed_in_page_notes_its_reader_once_per_half_hour(make_person):
    reader = make_person("Anna Lindqvist", "anna", seen=False)
    client = Client()
    assert client.login(username="anna", password=PASSWORD)
    assert seen_at(reader) is None

    assert client.get("/").status_code == 200
    first = seen_at(reader)
    assert first is not None and timezone.now() - first < timedelta(minutes=1)

    client.get("/")  # within the half hour: nothing written
    assert seen_at(reader) == first

    earlier = first - SEEN_EVERY
    Person.objects.filter(pk=reader.pk).update(last_seen_at=earlier)
    client.get("/")
    assert seen_at(reader) > earlier


def test_an_api_token_request_notes_its_person(make_person):
    scripter = make_person("Bjørn Hansen", "bjorn", seen=False)
    _token, key = create_token(scripter, "script")
    assert ApiClient(key).get("/me").status_code == 200
    assert seen_at(scripter) is not None


def test_nobody_is_noted_by_a_refused_request(make_person):
    absent = make_person("Carla Smith", "carla", seen=False)
    assert Client().get("/").status_code in (302, 401)
    assert Client(headers={"Authorization": "Bearer kol_nope"}).get("/api/v1/me").status_code == 401
    assert seen_at(absent) is None


def test_last_seen_is_the_later_of_a_request_and_a_sign_in(make_person):
    now = timezone.now()
    requested = make_person("Dag Berg", "dag", seen=False)
    signed_in = make_person("Eva Ek", "eva", seen=False)
    never = make_person("Frida Holm", "frida", seen=False)
    Person.objects.filter(pk=requested.pk).update(last_seen_at=now - timedelta(days=1))
    requested.user.last_login = now - timedelta(days=9)
    requested.user.save(update_fields=["last_login"])
    signed_in.user.last_login = now - timedelta(days=3)
    signed_in.user.save(update_fields=["last_login"])

    found = last_seen([requested.pk, signed_in.pk, never.pk])

    assert found == {requested.pk: now - timedelta(days=1), signed_in.pk: now - timedelta(days=3)}


def test_a_database_that_refuses_the_note_still_answers_the_page(make_person, caplog):
    from django.db import connection

    make_person("Dag Berg", "dag", seen=False)
    client = Client()
    assert client.login(username="dag", password=PASSWORD)
    # Reading is allowed, writing refused from here on: the real engine's own switch.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET TRANSACTION READ ONLY")
    try:
        response = client.get("/")
    finally:
        if connection.vendor == "sqlite":  # past Django: the refused write ended its atomic block
            connection.connection.execute("PRAGMA query_only = OFF")
    assert response.status_code == 200
    assert "could not note person" in caplog.text
