import pytest

from kollega.people.tests.factories import PASSWORD, password_hash


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Many sign-ins per test: check passwords with a fast hasher (throttling is what is tested)."""
    password_hash()  # the factories' shared hash stays the product's, for every other test
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_person(make_person, fast_passwords):
    def make(*args, **kwargs):
        person = make_person(*args, **kwargs)
        person.user.set_password(PASSWORD)
        person.user.save(update_fields=["password"])
        return person

    return make


@pytest.fixture(autouse=True)
def default_language_after(settings):
    """A request in Swedish leaves Swedish active in this thread: start the next in English."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
