"""The SSRF guard: a listening source never reaches the loopback, private or link-local networks."""

import pytest

from kollega.listening import services
from kollega.listening.fetching import FetchError, fetch
from kollega.listening.models import Source

pytestmark = pytest.mark.django_db

FEED = b'<rss version="2.0"><channel><title>t</title><item><guid>g</guid></item></channel></rss>'


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "[::1]"]
)
def test_intranet_addresses_are_refused_when_private_addresses_are_not_allowed(settings, address):
    settings.KOLLEGA_LISTENING_ALLOW_PRIVATE = "false"

    with pytest.raises(FetchError, match="loopback, private or link-local address") as refused:
        fetch(f"http://{address}/latest/meta-data/", timeout=1)

    assert "KOLLEGA_LISTENING_ALLOW_PRIVATE" in str(refused.value)


def test_a_name_that_resolves_to_the_loopback_is_refused_before_anything_is_sent(
    feed_server, settings
):
    url = feed_server.route("/feed.rss", FEED).replace("127.0.0.1", "localhost")
    settings.KOLLEGA_LISTENING_ALLOW_PRIVATE = "false"
    source = Source.objects.create(name="probe", url=url)

    outcome = services.poll_source(source)

    assert outcome.error.startswith("Refused: localhost is a loopback, private or link-local")
    assert feed_server.requests == []
    source.refresh_from_db()
    assert source.last_error == outcome.error and source.consecutive_errors == 1


def test_the_setting_true_allows_the_loopback(feed_server, settings):
    settings.KOLLEGA_LISTENING_ALLOW_PRIVATE = "true"
    source = Source.objects.create(name="local", url=feed_server.route("/feed.rss", FEED))

    assert services.poll_source(source).new == 1


@pytest.mark.parametrize("target", ["http://10.0.0.7/feed", "http://169.254.169.254/latest/"])
def test_a_redirect_into_the_intranet_is_refused_too(feed_server, target):
    # Only the loopback test server is allowed here (the fixture's "127.0.0.0/8").
    url = feed_server.route("/out", (302, {"Location": target}, b""))

    with pytest.raises(FetchError, match="Refused: .* is a loopback, private or link-local"):
        fetch(url, timeout=1)


def test_an_address_that_is_not_http_is_refused(settings):
    settings.KOLLEGA_LISTENING_ALLOW_PRIVATE = "true"
    for url in ("file:///etc/passwd", "ftp://example.org/feed", "gopher://127.0.0.1:6379/"):
        with pytest.raises(FetchError, match="Not an http"):
            fetch(url)
