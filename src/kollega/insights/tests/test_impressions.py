"""The stream records which posts it showed to whom: once a day per person and post."""

import pytest

from kollega.insights.models import Impression
from kollega.people.tests.factories import signed_in
from kollega.posts import services as posts

from .scenario import org

pytestmark = pytest.mark.django_db


def test_the_stream_records_each_post_shown_once_a_day_and_never_ones_own():
    o = org()
    leader, reader = o["sales"][0], o["it"][0]
    post = posts.post_on_board(leader, "Our plans for spring")
    own = posts.post_on_board(reader, "My own news")
    for _ in range(3):
        assert signed_in(reader).get("/").status_code == 200
    assert list(Impression.objects.values_list("person_id", "post_id")) == [(reader.pk, post.pk)]
    assert not Impression.objects.filter(post=own).exists()
