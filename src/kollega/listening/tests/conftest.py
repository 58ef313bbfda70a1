"""A real HTTP server on the loopback for listening's tests: feeds and a Mastodon-shaped API.

`feed_server.route(path, answer)` sets what a path answers: bytes (200), a
tuple `(status, headers, body)` where body is bytes or an iterable of chunks,
or a callable taking the request (`Request`) and returning such a tuple.
Every request is kept in `feed_server.requests`, so a test sees what Kollega
sent (headers, query).
"""

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from kollega.mail.tests.conftest import smtp_server  # noqa: F401 (the owners' mail tests)


@dataclass
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FeedServer:
    def __init__(self):
        self.routes: dict[str, object] = {}
        self.requests: list[Request] = []
        self.bytes_sent = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, answer) -> str:
        self.routes[path] = answer
        return self.url(path)

    def serve_file(self, path: str, file: Path, content_type: str = "application/xml") -> str:
        """Serve `file` with an ETag, answering 304 to a matching If-None-Match."""
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

        def answer(request: Request):
            if request.headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": content_type, "ETag": etag}, body

        return self.route(path, answer)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _handler(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                request = Request(
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                outer.requests.append(request)
                answer = outer.routes.get(parts.path, (404, {}, b"not here"))
                if callable(answer):
                    answer = answer(request)
                if isinstance(answer, bytes):
                    answer = (200, {"Content-Type": "application/xml"}, answer)
                status, headers, body = answer
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if isinstance(body, bytes):
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for chunk in [body] if isinstance(body, bytes) else body:
                        self.wfile.write(chunk)
                        outer.bytes_sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading, as it should at its limit

        return Handler

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed_server(settings):
    """The loopback server, with listening allowed to reach the loopback (and only it)."""
    settings.KOLLEGA_LISTENING_ALLOW_PRIVATE = "127.0.0.0/8"
    server = FeedServer()
    yield server
    server.close()


def slow(seconds: float, answer):
    """An answer given after `seconds`."""

    def wait(request):
        time.sleep(seconds)
        return answer

    return wait


# --- Mastodon -------------------------------------------------------------------------------


def status(number: int, server: str = "https://mastodon.example", **extra) -> dict:
    """A status shaped as Mastodon's documentation shows one."""
    return {
        "id": str(number),
        "created_at": f"2026-12-01T10:{number % 60:02d}:00.000Z",
        "uri": f"{server}/users/alice/statuses/{number}",
        "url": f"{server}/@alice/{number}",
        "content": f'<p>Status {number} about <a href="{server}/tags/kollega" '
        f'class="mention hashtag" rel="tag">#<span>kollega</span></a></p>',
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "reblogs_count": number % 7,
        "favourites_count": number % 5,
        "replies_count": number % 3,
        "account": {
            "id": "109",
            "username": "alice",
            "acct": "alice@mastodon.example",
            "display_name": "Alice Example",
            "url": f"{server}/@alice",
        },
        "tags": [{"name": "kollega", "url": f"{server}/tags/kollega"}],
        "media_attachments": [],
        **extra,
    }


class Timeline:
    """A Mastodon timeline: statuses newest first, paged by max_id/since_id/min_id and Link."""

    def __init__(self, server: FeedServer, path: str, statuses: list[dict]):
        self.server, self.path, self.statuses = server, path, statuses

    def __call__(self, request: Request):
        limit = min(int(request.query.get("limit", 20)), 40)
        page = sorted(self.statuses, key=lambda s: int(s["id"]), reverse=True)
        if "max_id" in request.query:
            page = [s for s in page if int(s["id"]) < int(request.query["max_id"])]
        if "since_id" in request.query:
            page = [s for s in page if int(s["id"]) > int(request.query["since_id"])]
        page = page[:limit]
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if page:
            older = urlencode({"limit": limit, "max_id": page[-1]["id"]})
            newer = urlencode({"limit": limit, "min_id": page[0]["id"]})
            older, newer = (self.server.url(f"{self.path}?{q}") for q in (older, newer))
            headers["Link"] = f'<{older}>; rel="next", <{newer}>; rel="prev"'
        return 200, headers, json.dumps(page).encode()
