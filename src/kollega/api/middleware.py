"""What every answer under /api/ shares, whichever layer produced it.

- Never cached by a browser or a proxy (`Cache-Control: private, no-store`), and
  marked as varying with the credentials (`Vary: Authorization, Cookie`): an answer
  is one person's view of the intranet.
- Errors in the API's shape `{"detail": "…"}` even where Django answers before or
  around the API (a path no route matches, a request body over
  DATA_UPLOAD_MAX_MEMORY_SIZE): clients parse one error shape, never an HTML page.

It sits near the top of MIDDLEWARE, so a body that is too large is refused (413)
before any later middleware reads it.
"""

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
NOT_FOUND = "Not Found"  # the words of the API's own 404s (ninja's)


def error_response(detail: str, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": detail}), status=status, content_type="application/json"
    )


def body_too_large(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is not None and length > limit


def too_large_response() -> HttpResponse:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return error_response(
        _("The request is too large: at most %(size)s MB.") % {"size": f"{limit_mb:g}"}, 413
    )


class ApiAnswersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method in UNSAFE_METHODS and body_too_large(request):
            response = too_large_response()
        elif "\x00" in request.path_info:
            # No route holds a NUL, and PostgreSQL could not even look it up.
            response = error_response(NOT_FOUND, 404)
        else:
            response = self.get_response(request)
            if response.status_code >= 400 and not _is_json(response):
                response = error_response(_json_detail(response), response.status_code)
        response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _json_detail(response) -> str:
    if response.status_code == 404:
        return NOT_FOUND
    return response.reason_phrase
