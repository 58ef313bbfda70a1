"""API test helpers: a client that speaks JSON with a person's token."""

import json

from django.test import Client


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
