"""System checks of outbound mail (`kollega check`)."""

from django.conf import settings
from django.core import checks

from kollega.mail.replies import reply_parts

LOCAL_SITE_URLS = ("http://127.0.0.1", "http://localhost", "http://[::1]")


@checks.register()
def check_mail_settings(app_configs=None, **kwargs):
    """A mail server set up without a public address sends links nobody can open;
    TLS and SSL at once make every delivery fail; a reply address that is not one
    would put a Reply-To on every mail that nobody can answer."""
    problems = []
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        problems.append(
            checks.Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both set: every mail would fail.",
                hint="Set EMAIL_USE_TLS=true (STARTTLS, port 587) or EMAIL_USE_SSL=true "
                "(port 465), not both.",
                id="kollega.E101",
            )
        )
    if settings.EMAIL_HOST and settings.KOLLEGA_SITE_URL.startswith(LOCAL_SITE_URLS):
        problems.append(
            checks.Warning(
                f"Mail goes to {settings.EMAIL_HOST}, but its links point at "
                f"{settings.KOLLEGA_SITE_URL}, which only this machine can open.",
                hint="Set KOLLEGA_SITE_URL to the intranet's public address, e.g. "
                "https://intranet.example.com.",
                id="kollega.W101",
            )
        )
    reply = settings.KOLLEGA_REPLY_ADDRESS
    local, domain = reply_parts(reply)
    if reply and (not local or "." not in domain):
        problems.append(
            checks.Error(
                f"KOLLEGA_REPLY_ADDRESS is {reply!r}: not an address replies could come to.",
                hint="Set it to one plain address, e.g. reply@intranet.example.com (Kollega "
                "adds +TOKEN to it), or leave it unset.",
                id="kollega.E102",
            )
        )
    return problems
