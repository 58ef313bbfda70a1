"""A NUL character in a page's query string or form gets a clear 400, never a server error.

PostgreSQL cannot compare text holding a NUL, so a search or a filter with one
failed there; the same request must answer alike on both engines.
"""

import pytest

from kollega.people.tests.factories import signed_in
from kollega.posts.models import Post


@pytest.mark.parametrize(
    "path", ["/search/?q=wine%00", "/people/?q=an%00na", "/experts/?q=%00", "/communities/?q=%00"]
)
def test_a_nul_in_a_query_string_is_refused_with_the_reason(anna, path):
    response = signed_in(anna).get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_saved(anna):
    response = signed_in(anna).post("/posts/new/", {"body": "Fika at three\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Post.objects.exists()


def test_a_query_without_nul_still_searches(anna):
    assert signed_in(anna).get("/search/?q=wine").status_code == 200
