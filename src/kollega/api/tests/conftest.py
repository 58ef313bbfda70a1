"""API test helpers: a client that speaks JSON with a person's token."""

import json

import pytest
from django.test import Client

from kollega.api.services import create_token


class ApiClient:
    """The Django test client, authenticated with a Bearer token, sending JSON."""

    def __init__(self, key: str | None = None, **client_options):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.client = Client(headers=headers, **client_options)

    def _send(self, method: str, path: str, body=None, **extra):
        if body is None:
            return getattr(self.client, method)("/api/v1" + path, **extra)
        return getattr(self.client, method)(
            "/api/v1" + path, data=json.dumps(body), content_type="application/json", **extra
        )

    def get(self, path, params=None):
        return self.client.get("/api/v1" + path, params or {})

    def post(self, path, body=None):
        return self._send("post", path, {} if body is None else body)

    def patch(self, path, body):
        return self._send("patch", path, body)

    def delete(self, path):
        return self._send("delete", path)


@pytest.fixture
def api_as(db):
    """`api_as(person)`: an ApiClient with a fresh token of `person` (no CSRF needed)."""

    def make(person, **client_options) -> ApiClient:
        _token, key = create_token(person, "tests")
        return ApiClient(key, **client_options)

    return make
