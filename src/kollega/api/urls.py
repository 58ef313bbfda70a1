"""The HTTP API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Errors always answer `{"detail": "…"}`:
400 bad input (nothing was changed), 401 no or bad credentials, 403 not allowed
(or a session request without its CSRF token, or a read-only token on a change),
404 not found or not visible, 409 the same Idempotency-Key still in progress,
413 a request body over the size limit, 422 an Idempotency-Key reused with another body.

The document lists every status an operation can answer. An endpoint declares its
own (`responses()` in schemas.py); the statuses that come from the layers every
operation shares are added here, in one place (`LAYER_STATUSES`).
"""

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from kollega.api.auth import SessionAuth, TokenAuth
from kollega.api.middleware import too_large_response
from kollega.api.parser import KollegaParser, UnacceptableText
from kollega.network.api import router as network_router
from kollega.notifications.api import router as notifications_router
from kollega.people.api import router as people_router
from kollega.posts.api import router as posts_router

UNSAFE_METHODS = {"post", "put", "patch", "delete"}

# Why an operation may answer a status though its endpoint never says so: the layers
# in front of every endpoint. (status, description, applies to operation?)
LAYER_STATUSES = [
    (
        400,
        "Bad input: a parameter, header or the body has the wrong shape, or holds a NUL "
        "character or a lone surrogate. Nothing was changed.",
        lambda method, op: bool(op.get("parameters") or op.get("requestBody")),
    ),
    (
        403,
        "Not allowed: a read-only token, or a session request without its CSRF token.",
        lambda method, op: method in UNSAFE_METHODS,
    ),
    (
        404,
        "Not found, or not visible to the caller (a path parameter names nothing).",
        lambda method, op: any(p["in"] == "path" for p in op.get("parameters", [])),
    ),
    (
        409,
        "A request with the same Idempotency-Key is still in progress; retry later.",
        lambda method, op: method == "post",
    ),
    (
        413,
        "The request body is over the size limit.",
        lambda method, op: method in UNSAFE_METHODS,
    ),
    (
        422,
        "The Idempotency-Key was already used with a different request body.",
        lambda method, op: method == "post",
    ),
]

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Any unique string (e.g. a UUID). The same key within 24 hours answers "
    "the first request's result again instead of doing it twice.",
    # Visible ASCII only: a key is echoed in logs and stored, never shown as text.
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def error_response_doc(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def document_layer_statuses(schema: dict) -> dict:
    """Add LAYER_STATUSES and the Idempotency-Key header to every operation they apply to."""
    for operations in schema["paths"].values():
        for method, op in operations.items():
            parameters = op.setdefault("parameters", [])
            if method == "post" and IDEMPOTENCY_KEY["name"] not in {p["name"] for p in parameters}:
                parameters.append(IDEMPOTENCY_KEY)
            if not parameters:
                del op["parameters"]
            responses = op.setdefault("responses", {})
            for status, description, applies in LAYER_STATUSES:
                if applies(method, op) and status not in responses:
                    responses[status] = error_response_doc(description)
            op["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
    return schema


class KollegaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Short operation ids (`get_post`, not `kollega_posts_api_get_post`) for clients."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_layer_statuses(schema)


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
    parser=KollegaParser(),
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
api.add_router("", "kollega.listening.api.router", tags=["listening"])
api.add_router("", "kollega.recommendations.api.router", tags=["recommendations"])


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


@api.exception_handler(UnacceptableText)
def unacceptable_text(request, exc: UnacceptableText):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja wraps what the body parser raises as "Cannot parse request body".
    if isinstance(exc.__cause__, UnacceptableText):
        return unacceptable_text(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def request_data_too_big(request, exc: RequestDataTooBig):
    return too_large_response()


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
