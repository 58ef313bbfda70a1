from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware


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
