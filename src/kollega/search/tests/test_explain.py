"""Score parts (`explain`) are for staff only, on the page and over the API alike."""

import pytest
from django.test import Client

from kollega.permissions.search import can_explain_scores
from kollega.posts.services import post_on_board

pytestmark = pytest.mark.django_db


def test_only_staff_may_see_score_parts(anna):
    assert not can_explain_scores(anna)
    anna.user.is_staff = True
    anna.user.save()
    assert can_explain_scores(anna)


def test_the_api_leaves_score_parts_out_for_a_colleague_who_asks_for_them(anna, bjorn):
    post_on_board(bjorn, "Cardamom")
    client = Client()
    client.force_login(anna.user)
    items = client.get("/api/v1/search", {"q": "cardamom", "explain": "true"}).json()["items"]
    assert items and items[0]["score_parts"] is None
