"""The casts of the permission matrices (tests/permission_cast.py), one fixture each."""

import pytest
from permission_cast import make_cast, make_community_cast


@pytest.fixture
def cast(db):
    """The cast around a post: permission_cast.WHO."""
    return make_cast()


@pytest.fixture
def c_cast(db):
    """The cast around a community: permission_cast.C_WHO."""
    return make_community_cast()
