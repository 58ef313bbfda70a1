"""Test factories for people: the same service the product uses to create them."""

import functools
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client

from kollega.people.models import Department, Office, Person
from kollega.people.presence import note_seen
from kollega.people.services import create_person

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_person(
    name: str | None = None, username: str | None = None, seen: bool = True, **profile
) -> Person:
    """A colleague with a sign-in password of PASSWORD, seen just now unless `seen` is False."""
    n = next(_counter)
    name = name or f"Colleague {n}"
    username = username or name.lower().replace(" ", ".")
    person = create_person(username, name, email=f"{username}@example.org", **profile)
    person.user.password = password_hash()
    get_user_model().objects.filter(pk=person.user_id).update(password=person.user.password)
    if seen:
        note_seen(person)
    return person


def deactivate(person: Person) -> None:
    """The colleague leaves the organisation: their account is made inactive, as an
    administrator does by unticking "Active" in the admin (Kollega has no other path)."""
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])


def signed_in(person: Person, **client_options) -> Client:
    """A test browser with a session of `person` (`client_options` go to Django's Client).

    The session is made even for someone who has left: Django's auth backend then
    refuses it on the next request, as in real use."""
    client = Client(**client_options)
    client.force_login(person.user)
    return client


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per test process by the product's own hasher.

    Signing in checks it for real; only hashing it anew for every colleague a
    test makes is skipped (a million PBKDF2 rounds, about 0.17 s each).
    `create_person` with a password is tested on its own.
    """
    return make_password(PASSWORD)


def make_department(name: str, parent: Department | None = None) -> Department:
    return Department.objects.create(name=name, parent=parent)


def make_office(name: str = "Stockholm HQ", city: str = "Stockholm", country: str = "SE") -> Office:
    return Office.objects.create(name=name, city=city, country=country)
