from kollega.api.tests.conftest import api_as  # noqa: F401
