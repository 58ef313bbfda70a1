"""The HTTP API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Errors always answer `{"detail": "…"}`:
400 bad input (nothing was changed), 401 no or bad credentials, 403 not allowed
(or a session request without its CSRF token), 404 not found or not visible.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError

from kollega.api.auth import SessionAuth, TokenAuth
from kollega.network.api import router as network_router
from kollega.notifications.api import router as notifications_router
from kollega.people.api import router as people_router
from kollega.posts.api import router as posts_router


class KollegaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Short operation ids (`get_post`, not `kollega_posts_api_get_post`) for clients."""
        return operation.view_func.__name__


api = KollegaAPI(
    title="Kollega API",
    version="1",
    description=(
        "People, network, boards, stream and notifications of a Kollega intranet. "
        "Authenticate with `Authorization: Bearer kol_…` (create a token with "
        "`kollega token create USERNAME`) or the intranet's session cookie plus CSRF token."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)

api.add_router("", people_router, tags=["people"])
api.add_router("", network_router, tags=["network"])
api.add_router("", posts_router, tags=["posts"])
api.add_router("", notifications_router, tags=["notifications"])
api.add_router("", "kollega.communities.api.router", tags=["communities"])
api.add_router("", "kollega.qa.api.router", tags=["questions"])
api.add_router("", "kollega.expertise.api.router", tags=["experts"])
api.add_router("", "kollega.search.api.router", tags=["search"])
api.add_router("", "kollega.content.blogs.api.router", tags=["blogs"])
api.add_router("", "kollega.content.wikis.api.router", tags=["wikis"])
api.add_router("", "kollega.content.bookmarks.api.router", tags=["bookmarks"])


def describe(exc: ValidationError) -> str:
    """A service's ValidationError as one sentence, naming fields where it has them."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for field, messages in exc.message_dict.items():
        text = " ".join(messages)
        parts.append(text if field == NON_FIELD_ERRORS else f"{field}: {text}")
    return " ".join(parts)


def describe_schema_errors(exc: SchemaError) -> str:
    """Request-shape errors (wrong type, missing field) as `where: what` sentences."""
    parts = []
    for error in exc.errors:
        # loc is e.g. ("body", "payload", "audience") or ("query", "limit").
        loc = [str(part) for part in error.get("loc", ())[1:]]
        if len(loc) > 1 and error.get("loc", ())[0] == "body":
            loc = loc[1:]
        where = ".".join(loc)
        parts.append(f"{where}: {error['msg']}." if where else f"{error['msg']}.")
    return " ".join(parts) or "The request is not valid."


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": describe(exc)}, status=400)


@api.exception_handler(SchemaError)
def schema_error(request, exc: SchemaError):
    return api.create_response(request, {"detail": describe_schema_errors(exc)}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc: AuthenticationError):
    response = api.create_response(
        request,
        {"detail": "Sign in, or send a valid token as 'Authorization: Bearer kol_…'."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="kollega"'
    return response
