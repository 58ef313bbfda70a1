"""The digest preview: "my digest as it would go out now", the mail's own HTML in a frame."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from kollega.digests import services
from kollega.digests.models import DigestChoice, Period
from kollega.web.helpers import current_person

# The mail's HTML is written for mail clients (inline CSS, no scripts); shown on its own,
# framed by the preview page only, it may use its inline styles and nothing else.
MAIL_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


def _period(request, person) -> str:
    asked = request.GET.get("period")
    if asked in Period.values:
        return asked
    chosen = services.digest_choice(person)
    return chosen if chosen in Period.values else Period.DAILY


def digest_preview(request):
    """The person's digest as it would go out now (for the day or week ending now), with
    its subject and the mail itself in a frame."""
    person = current_person(request)
    period = _period(request, person)
    digest = services.build_digest(person, period, up_to_now=True)
    context = {
        "period": period,
        "periods": Period.choices,
        "digest": digest,
        "subject": services.subject_of(digest),
        "chosen": services.digest_choice(person),
        "none": DigestChoice.NONE,
        "address": person.email,
    }
    return render(request, "digests/preview.html", context)


@xframe_options_sameorigin
def digest_preview_mail(request):
    """The HTML of the person's digest mail, exactly as `render_digest` writes it."""
    person = current_person(request)
    digest = services.build_digest(person, _period(request, person), up_to_now=True)
    response = HttpResponse(services.render_digest(digest)["html"])
    response["Content-Security-Policy"] = MAIL_POLICY
    return response
