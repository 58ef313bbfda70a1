import pytest

from kollega.mail.tests.smtp import SITE_URL, SmtpServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on the loopback that Kollega sends to (pytest-django would
    otherwise keep mail in memory); KOLLEGA_SITE_URL is the intranet's public address."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    settings.KOLLEGA_SITE_URL = SITE_URL
    settings.DEFAULT_FROM_EMAIL = "Kollega <kollega@intranet.example.com>"
    yield server
    server.stop()
