"""The HTTP API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI

from kollega.api.auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="Kollega API",
    version="1",
    description="People, network, boards, stream and notifications of a Kollega intranet.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)
