"""The API client fixture of the api app, for the tag tests."""

from kollega.api.tests.conftest import api_as  # noqa: F401
