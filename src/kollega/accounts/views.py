"""Signing in and out (a password or the company sign-in), and the person's security page:
their sessions and API tokens."""

import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kollega.accounts import oidc, sessions, signin, two_step
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
        user = form.get_user()
        if two_step.is_on(user):
            # The right password; the code comes next, and only then the session.
            self.request.session[CODE_PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": time.time(),
            }
            return redirect("sign_in_code")
        response = super().form_valid(form)
        signin.remember_browser(self.request, response, user.get_username())
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.throttled.minutes * 60)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | sign_in_choices()


CODE_PENDING_KEY = "kollega_code_pending"
CODE_PENDING_SECONDS = 300


@login_not_required
@never_cache
def sign_in_code(request):
    """After the right password: the code from the authenticator app (`accounts.two_step`).

    Wrong codes count towards the same pauses as wrong passwords.
    """
    pending = request.session.get(CODE_PENDING_KEY) or {}
    user = None
    if time.time() - pending.get("at", 0) < CODE_PENDING_SECONDS:
        user = auth.get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(CODE_PENDING_KEY, None)
        messages.error(request, _("Please sign in again."))
        return redirect("login")
    error, status = None, 200
    if request.method == "POST":
        code = request.POST.get("code", "")

        def checked():
            return user if two_step.check_code(user, code) else None

        try:
            ok = signin.sign_in_with_password(request, user.get_username(), checked)
        except signin.SignInRefused as refused:
            context = {"error": refused.message}
            response = render(request, "accounts/sign_in_code.html", context, status=429)
            response["Retry-After"] = str(refused.minutes * 60)
            return response
        if ok:
            del request.session[CODE_PENDING_KEY]
            auth.login(request, user, backend=pending["backend"])  # sends user_logged_in
            response = HttpResponseRedirect(pending["next"])
            signin.remember_browser(request, response, user.get_username())
            return response
        user_login_failed.send(
            sender=__name__,
            credentials={"username": user.get_username(), "method": "code"},
            request=request,
        )
        error = _("That code is not right. Please try again.")
    return render(request, "accounts/sign_in_code.html", {"error": error}, status=status)


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


def security(
    request,
    token_form: TokenForm | None = None,
    new_key=None,
    status=200,
    recovery_codes=None,
    two_step_error=None,
):
    """My signed-in sessions, my two-step sign-in and my API tokens, each with a way to end it."""
    person = current_person(request)
    user = request.user
    factor = two_step.factor_of(user)
    context = {
        "sessions": sessions.sessions_of(person),
        "current_key": request.session.session_key,
        "tokens": tokens.tokens_of(person),
        "token_form": token_form or TokenForm(),
        "new_key": new_key,
        "may_use_password": signin.may_use_password(user.get_username())
        and user.has_usable_password(),
        "two_step_on": factor is not None and factor.confirmed_at is not None,
        "two_step_setup": factor if factor is not None and factor.confirmed_at is None else None,
        "two_step_uri": two_step.provisioning_uri(factor) if factor is not None else "",
        "recovery_codes": recovery_codes,
        "recovery_codes_left": two_step.recovery_codes_left(user),
        "two_step_error": two_step_error,
    }
    response = render(request, "accounts/security.html", context, status=status)
    if recovery_codes or factor is not None and factor.confirmed_at is None:
        response["Cache-Control"] = "no-store"  # a secret or recovery codes on the page
    return response


@require_POST
def two_step_start(request):
    """Start setting up two-step sign-in: the secret is shown until it is confirmed."""
    try:
        two_step.start_enrolment(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("security") + "#two-step-heading")


@require_POST
def two_step_confirm(request):
    """Turn two-step sign-in on with a first code; the recovery codes, shown this once."""
    try:
        codes = two_step.confirm_enrolment(request.user, request.POST.get("code", ""))
    except ValidationError as error:
        return security(request, status=400, two_step_error=" ".join(error.messages))
    return security(request, recovery_codes=codes)


@require_POST
def two_step_off(request):
    """Turn two-step sign-in off with a current code; wrong codes are throttled."""
    user = request.user

    def turned_off():
        try:
            two_step.turn_off(user, request.POST.get("code", ""))
        except ValidationError:
            return None
        return user

    try:
        done = signin.sign_in_with_password(request, user.get_username(), turned_off)
    except signin.SignInRefused as refused:
        return security(request, status=429, two_step_error=refused.message)
    if done is None:
        return security(request, status=400, two_step_error=_("That code is not right."))
    messages.success(request, _("Two-step sign-in is off."))
    return redirect("security")


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
