import os
import tempfile

# Tests keep their files (secret key, uploads) away from a developer's var/.
os.environ.setdefault("KOLLEGA_DATA_DIR", tempfile.mkdtemp(prefix="kollega-test-"))
os.environ.setdefault("KOLLEGA_TESTING", "1")

import pytest  # noqa: E402


@pytest.fixture
def make_person(db):
    from kollega.people.tests.factories import make_person

    return make_person


@pytest.fixture
def anna(make_person):
    return make_person("Anna Lindqvist", "anna")


@pytest.fixture
def bjorn(make_person):
    return make_person("Bjørn Hansen", "bjorn")


@pytest.fixture
def carla(make_person):
    return make_person("Carla Smith", "carla")
