"""Signing in, and the person's security page: their sessions and API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.accounts import sessions, signin
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


@require_POST
def sign_out_session(request, session_id: int):
    person = current_person(request)
    if sessions.sign_out_session(person, session_id) is None:
        raise Http404
    messages.success(request, _("That session is signed out."))
    return redirect("security")


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
