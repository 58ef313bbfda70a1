"""Reaching a colleague: every active one by user name; anything else is NotFound."""

import pytest

from kollega.people.services import visible_person
from kollega.permissions import NotFound

pytestmark = pytest.mark.django_db


def test_an_active_colleague_is_found_by_user_name_in_any_case(anna, bjorn):
    assert visible_person(anna, "bjorn") == bjorn
    assert visible_person(anna, "Bjorn") == bjorn


def test_a_deactivated_or_unknown_colleague_is_not_found(anna, bjorn):
    bjorn.user.is_active = False
    bjorn.user.save(update_fields=["is_active"])
    with pytest.raises(NotFound):
        visible_person(anna, "bjorn")
    with pytest.raises(NotFound):
        visible_person(anna, "nobody")


def test_pages_and_the_api_answer_404_for_a_deactivated_colleague(anna, bjorn, client):
    bjorn.user.is_active = False
    bjorn.user.save(update_fields=["is_active"])
    client.force_login(anna.user)
    assert client.get("/people/bjorn/").status_code == 404
    assert client.get("/api/v1/people/bjorn").status_code == 404
