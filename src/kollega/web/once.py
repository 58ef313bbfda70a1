"""Forms that create something are acted on once, however often they are sent.

A double click, a browser that resends a form, or an impatient reload must
not post twice. Each such form carries a random one-time token in a hidden
field (`{% form_once %}`, available in every template), and its view is
wrapped in `@submitted_once`:

- the first submission with a token is recorded (`SentForm`) before the view
  runs; when the view answers with a redirect, where it led is stored;
- a later submission of the same form with the same token and the same
  content runs nothing and is sent to that same place (or back, with a note,
  while the first is still running);
- the same token with other content is a new submission: a form shown again
  from the browser's history (Back) and filled in anew is not lost;
- a submission the view refuses (a form error) releases its token, so the
  corrected form may be sent;
- a form without the field is handled as before (old pages, scripts).

The database's unique constraint decides which of two simultaneous
submissions is first, across server processes. Tokens are forgotten after a
day (`forget_sent_forms`, on the periodic schedule). `static/kollega/submit-once.js`
also disables a form's buttons once it is sent, so most repeats never leave
the browser.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega.web.helpers import own_page, redirect_back
from kollega.web.models import SentForm

FIELD = "form_once"
KEEP_FOR = timedelta(days=1)
MAX_TOKEN_LENGTH = 64


def new_form_token() -> str:
    """A fresh random token for one rendering of a form."""
    return secrets.token_urlsafe(18)


def _content_digest(request) -> str:
    """What the form says (every field but the tokens, and any files' names and sizes)."""
    fields = sorted(
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name not in (FIELD, "csrfmiddlewaretoken")
    )
    files = sorted((name, f.name, f.size) for name, f in request.FILES.items())
    return hashlib.sha256(repr((request.path, fields, files)).encode()).hexdigest()[:32]


def _claim(person, token: str) -> tuple[SentForm, bool]:
    try:
        with transaction.atomic():
            return SentForm.objects.create(person=person, token=token), True
    except IntegrityError:
        return SentForm.objects.get(person=person, token=token), False


def _person(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def _repeat(request, sent: SentForm):
    """Where a repeated submission goes: the first one's result, or back."""
    if sent.result_url:
        return redirect(sent.result_url)
    messages.info(request, _("This form was already sent and is still being handled."))
    return redirect_back(request, referer=True)


def submitted_once(view):
    """Act on each rendering of the wrapped view's form once (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        person = _person(request)
        if not token or len(token) > MAX_TOKEN_LENGTH or person is None:
            return view(request, *args, **kwargs)
        sent, first = _claim(person, f"{token}:{_content_digest(request)}")
        if not first:
            return _repeat(request, sent)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            SentForm.objects.filter(pk=sent.pk).delete()
            raise
        if response.status_code in (301, 302, 303):
            SentForm.objects.filter(pk=sent.pk).update(result_url=response["Location"][:2000])
        elif 200 <= response.status_code < 300:
            # Answered with a page (no redirect): a repeat goes back where it came from.
            back = own_page(request, request.META.get("HTTP_REFERER")) or request.path
            SentForm.objects.filter(pk=sent.pk).update(result_url=back[:2000])
        else:
            SentForm.objects.filter(pk=sent.pk).delete()
        return response

    return wrapper


def forget_sent_forms(now=None) -> int:
    """Forget form tokens older than a day; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = SentForm.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
