from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseBadRequest

from kollega.texts import nul_refused


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs sign-in; the API authenticates its own clients (tokens)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecurityHeadersMiddleware:
    """Every answer says what the browser may run and use on our pages: the
    Content-Security-Policy (scripts and styles only from our static files, never
    inline) and the Permissions-Policy (no camera, microphone, location, payment…).

    Django's own SecurityMiddleware sends nosniff, Referrer-Policy and
    Cross-Origin-Opener-Policy. In DEBUG, Django's technical 404 and 500 pages are
    written with inline script and style, so they go without the policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class RefuseNulMiddleware:
    """A page's query string or form fields holding a NUL character get a clear 400.

    No one types a NUL, PostgreSQL cannot compare text with one (a search or a
    filter would fail with a server error there), and forms that read a field
    directly would pass it on. Uploaded files are not fields and may hold any
    byte; the API checks its own input (`api/parser.py`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/") and (
            _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST))
        ):
            return HttpResponseBadRequest(nul_refused(), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _holds_nul(fields) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in fields.lists())
