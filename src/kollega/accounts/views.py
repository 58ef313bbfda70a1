"""Signing in and out (a password or the company sign-in), and the person's security page:
their sessions and API tokens."""

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kollega.accounts import oidc, sessions, signin
from kollega.accounts.forms import SignInForm, TokenForm
from kollega.api import services as tokens
from kollega.api.models import ApiToken
from kollega.web.helpers import current_person
from kollega.web.once import submitted_once


class SignInView(auth_views.LoginView):
    """Django's sign-in page; the throttling lives in the backend (`accounts.signin`)."""

    template_name = "web/login.html"
    form_class = SignInForm

    def form_valid(self, form):
        response = super().form_valid(form)
        signin.remember_browser(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.throttled.minutes * 60)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | sign_in_choices()


def sign_in_choices() -> dict:
    """What the sign-in page offers: the company sign-in, passwords, or both."""
    return {
        "oidc_configured": oidc.is_configured(),
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
        "local_passwords": settings.KOLLEGA_LOCAL_PASSWORDS,
    }


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _refused_page(request, refused: oidc.SignInRefused):
    status = {"unreachable": 502, "issuer": 502, "inactive": 403, "unknown": 403}
    context = {"refused": refused} | sign_in_choices()
    return render(
        request, "accounts/oidc_refused.html", context, status=status.get(refused.reason, 400)
    )


@login_not_required
@never_cache
def oidc_start(request):
    """Send the browser to the company sign-in (see `accounts.oidc`)."""
    if not oidc.is_configured():
        raise Http404
    callback = request.build_absolute_uri(reverse("oidc_callback"))
    try:
        return oidc.start_sign_in(request, callback, _safe_next(request, request.GET.get("next")))
    except oidc.SignInRefused as refused:
        return _refused_page(request, refused)


@login_not_required
@never_cache
def oidc_callback(request):
    """The company sign-in's answer: sign in as the person it names, or say why not."""
    if not oidc.is_configured():
        raise Http404
    try:
        user, id_token = oidc.complete_sign_in(request)
    except oidc.SignInRefused as refused:
        return _refused_page(request, refused)
    next_url = _safe_next(request, request.session.get(oidc.NEXT_SESSION_KEY))
    auth.login(request, user)  # a new session key; sends user_logged_in
    request.session[oidc.ID_TOKEN_SESSION_KEY] = id_token  # the hint for signing out
    return HttpResponseRedirect(next_url)


@login_not_required
@require_POST
def sign_out(request):
    """Sign out here, and at the company sign-in too if this session came from it."""
    id_token = request.session.get(oidc.ID_TOKEN_SESSION_KEY)
    auth.logout(request)  # sends user_logged_out
    after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    return HttpResponseRedirect(oidc.sign_out_url(request, id_token, after) or after)


def security(request, token_form: TokenForm | None = None, new_key=None, status=200):
    """My signed-in sessions and my API tokens, each with a way to end it."""
    person = current_person(request)
    context = {
        "sessions": sessions.sessions_of(person),
        "current_key": request.session.session_key,
        "tokens": tokens.tokens_of(person),
        "token_form": token_form or TokenForm(),
        "new_key": new_key,
    }
    return render(request, "accounts/security.html", context, status=status)


@login_not_required
@require_POST
def sign_out_session(request, session_id: int):
    person = current_person(request)
    if sessions.sign_out_session(person, session_id) is None:
        raise Http404
    messages.success(request, _("That session is signed out."))
    return redirect("security")


@login_not_required
@require_POST
def sign_out_other_sessions(request):
    person = current_person(request)
    count = sessions.sign_out_other_sessions(person, request.session.session_key)
    messages.success(request, _("Signed out everywhere else (%(count)d).") % {"count": count})
    return redirect("security")


@require_POST
@submitted_once
def create_token(request):
    """A new token; its key is shown on this answer only, never again."""
    person = current_person(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = tokens.create_token(
                person,
                form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in"],
                read_only=form.cleaned_data["scope"] == ApiToken.Scope.READ_ONLY,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = security(request, new_key=key)
            response["Cache-Control"] = "no-store"
            return response
    return security(request, token_form=form, status=400)


@require_POST
def revoke_token(request, token_id: int):
    person = current_person(request)
    token = tokens.revoke_own_token(person, token_id)
    if token is None:
        raise Http404
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("security")
