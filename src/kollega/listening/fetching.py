"""Outbound HTTP for listening: bounded, and never a way to probe the intranet.

`fetch(url)` makes one GET (following redirects itself) with:

- an SSRF guard: the host is resolved and every address it resolves to is
  checked before connecting, on the first request and after each redirect;
  loopback, private, link-local, multicast, reserved and unspecified addresses
  are refused unless `KOLLEGA_LISTENING_ALLOW_PRIVATE` is `true` (or names
  networks, `10.1.0.0/16,192.168.5.7`, that are allowed). The connection
  then goes to the address that was checked (not to a second lookup), so a
  name that answers differently the second time cannot slip through;
- a timeout per socket operation and a deadline for the whole answer;
- a size limit: the body is read in chunks and reading stops at the limit;
- at most `LISTENING_FETCH_MAX_REDIRECTS` redirects (`kollega.limits`);
- conditional GET: pass the stored `ETag` and `Last-Modified`; a 304 answers
  `Response(status=304)`.

Everything that goes wrong raises `FetchError` with a sentence an operator
understands (and, for a 429 or a 503, the seconds the server asked to wait).
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

from kollega.limits import LISTENING_FETCH_MAX_BYTES, LISTENING_FETCH_MAX_REDIRECTS

TIMEOUT_SECONDS = 15  # one socket operation (connect, a read)
DEADLINE_SECONDS = 60  # the whole answer, however slowly it trickles in
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Kollega-listening/1 (+https://github.com/kollega)"
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that failed, with a message for the source's page."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""


def refused_address(address: str) -> bool:
    """True for an address a listening source may not reach (unless allowed)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def allowed_private_networks() -> list | None:
    """The networks KOLLEGA_LISTENING_ALLOW_PRIVATE allows: None for all, [] for none."""
    value = str(getattr(settings, "KOLLEGA_LISTENING_ALLOW_PRIVATE", "false")).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return None
    if value in {"", "0", "false", "no", "off"}:
        return []
    networks = []
    for part in value.split(","):
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            continue  # `kollega check` is not told; a wrong entry allows nothing
    return networks


def _allowed(address: str, networks: list | None) -> bool:
    if networks is None or not refused_address(address):
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return any(ip in network for network in networks)


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, each checked by the SSRF guard.

    Raises FetchError if the name does not resolve, or if any address is refused
    (one refused address is enough: the system may pick any of them).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"The host {host} could not be found ({error}).") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    networks = allowed_private_networks()
    for address in addresses:
        if not _allowed(address, networks):
            raise FetchError(
                f"Refused: {host} is a loopback, private or link-local address "
                f"({address}); listening only reaches the public internet "
                "(KOLLEGA_LISTENING_ALLOW_PRIVATE allows it)."
            )
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address already checked, while naming the host in `Host`."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def retry_after_seconds(value: str | None) -> int | None:
    """A `Retry-After` header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0, int((when - timezone.now()).total_seconds()))


def fetch(
    url: str,
    headers: dict[str, str] | None = None,
    *,
    max_bytes: int | None = None,
    timeout: float | None = None,
    deadline: float | None = None,
    max_redirects: int | None = None,
) -> Response:
    """GET `url` within the limits above (the module's, unless given); a 2xx or a 304."""
    max_bytes = LISTENING_FETCH_MAX_BYTES if max_bytes is None else max_bytes
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    deadline = DEADLINE_SECONDS if deadline is None else deadline
    max_redirects = LISTENING_FETCH_MAX_REDIRECTS if max_redirects is None else max_redirects
    started = time.monotonic()
    for _hop in range(max_redirects + 1):
        response = _get_once(url, headers or {}, max_bytes, timeout, started + deadline)
        if response.status in REDIRECTS:
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"The server answered {response.status} without a Location.")
            url = urljoin(url, location)
            continue
        return response
    raise FetchError(f"More than {max_redirects} redirects; stopped following them at {url}.")


def _get_once(url: str, headers: dict, max_bytes: int, timeout: float, deadline: float):
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"Not an http(s) address: {url[:200]}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(f"Not a valid address: {url[:200]}") from error
    address = resolve(parts.hostname, port)[0]
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = cls(parts.hostname, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "identity",
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
        **headers,
    }
    try:
        connection.request("GET", path, headers=request_headers)
        answer = connection.getresponse()
        response = Response(
            status=answer.status,
            url=url,
            headers={name.lower(): value for name, value in answer.getheaders()},
        )
        if answer.status in REDIRECTS or answer.status == 304:
            return response
        if answer.status == 429 or answer.status >= 400:
            raise _status_error(answer.status, answer.reason, response.headers)
        response.body = _read_body(answer, response.headers, max_bytes, deadline)
        return response
    except TimeoutError as error:
        raise FetchError(f"No answer within {timeout:g} seconds from {parts.hostname}.") from error
    except ssl.SSLError as error:
        raise FetchError(f"The secure connection to {parts.hostname} failed: {error}.") from error
    except (OSError, http.client.HTTPException) as error:
        reason = error or type(error).__name__
        raise FetchError(f"Could not read from {parts.hostname}: {reason}.") from error
    finally:
        connection.close()


def _status_error(status: int, reason: str, headers: dict) -> FetchError:
    wait = retry_after_seconds(headers.get("retry-after"))
    if status == 429:
        later = f"; asked to wait {wait} seconds" if wait is not None else ""
        return FetchError(f"Rate limited: the server answered 429 Too Many Requests{later}.", wait)
    return FetchError(f"The server answered {status} {reason}.".replace(" .", "."), wait)


def _read_body(answer, headers: dict, max_bytes: int, deadline: float) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(_too_large(max_bytes, f" (it announced {int(declared):,} bytes)"))
    chunks, size = [], 0
    while True:
        chunk = answer.read1(CHUNK_BYTES) if hasattr(answer, "read1") else answer.read(CHUNK_BYTES)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_too_large(max_bytes, ""))
        if time.monotonic() > deadline:
            raise FetchError("The answer took too long to arrive; stopped reading.")
        chunks.append(chunk)


def _too_large(max_bytes: int, detail: str) -> str:
    return f"The answer is larger than {max_bytes // (1024 * 1024)} MB{detail}; stopped reading."
