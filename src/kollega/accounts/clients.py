"""Where a request comes from: the client's address and browser, as far as we can tell.

Behind reverse proxies, `KOLLEGA_TRUSTED_PROXIES` says how many of them append
to `X-Forwarded-For`; the address that many entries from the right is the
client's. With 0 (the default) the header is ignored, since a client could
write anything there, and the socket's address (`REMOTE_ADDR`) is used.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address, or None if it is not one (a test client, a Unix socket)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "KOLLEGA_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_browser(request) -> str:
    """The client's User-Agent, cut to what a table cell shows."""
    return request.META.get("HTTP_USER_AGENT", "")[:300]
