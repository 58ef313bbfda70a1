"""The SCIM 2.0 endpoints under /scim/v2/: parse, call `services.scim`, answer JSON.

Each request must carry `Authorization: Bearer TOKEN` (a token from `kollega scim
token create`); what it changes is recorded in the audit trail with the token's
name as the actor ("SCIM client NAME"). Errors answer SCIM's error JSON.
"""

import functools
import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from kollega.accounts.clients import client_address
from kollega.audit.context import acting_operator
from kollega.provisioning.services import scim, scim_schemas
from kollega.provisioning.services.scim_errors import ScimError
from kollega.provisioning.services.tokens import scim_client

logger = logging.getLogger("kollega.provisioning")
CONTENT_TYPE = "application/scim+json"


def _answer(body, status: int = 200, location: str = "") -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def _base(request) -> str:
    return request.build_absolute_uri("/scim/v2")


def _body(request):
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ScimError(400, "The body is not JSON.", "invalidSyntax") from None


def scim_endpoint(*methods: str):
    """A SCIM view: bearer token checked, errors as SCIM errors, the client named in audit."""

    def decorate(view):
        @csrf_exempt
        @login_not_required
        @functools.wraps(view)
        def endpoint(request, *args, **kwargs):
            client = scim_client(request)
            if client is None:
                logger.warning(
                    "SCIM request without a valid token from %s", client_address(request)
                )
                response = _answer(ScimError(401, "A valid bearer token is needed.").as_json(), 401)
                response["WWW-Authenticate"] = 'Bearer realm="kollega-scim"'
                return response
            if request.method not in methods:
                return _answer(
                    ScimError(405, f"{request.method} is not allowed here.").as_json(), 405
                )
            with acting_operator(f"SCIM client {client.name}"):
                try:
                    return view(request, *args, **kwargs)
                except RequestDataTooBig:
                    error = ScimError(413, "The body is too large.")
                except ScimError as refused:
                    error = refused
                except ValidationError as invalid:
                    error = ScimError(400, " ".join(invalid.messages), "invalidValue")
                except IntegrityError:  # two requests at once wrote the same key
                    error = ScimError(409, "Another request wrote the same User.", "uniqueness")
            logger.warning(
                "SCIM %s %s from %s refused (%s): %s",
                request.method, request.path, client.name, error.status, error.detail,
            )  # fmt: skip
            return _answer(error.as_json(), error.status)

        return endpoint

    return decorate


@scim_endpoint("GET")
def service_provider_config(request):
    return _answer(scim_schemas.service_provider_config(_base(request)))


def _list_of(resources: list[dict]) -> dict:
    return scim.list_response(resources, len(resources))


def _one_of(resources: list[dict], name: str, what: str):
    for resource in resources:
        if resource["id"] == name:
            return _answer(resource)
    raise ScimError(404, f"No {what} {name}.")


@scim_endpoint("GET")
def resource_types(request, name: str = ""):
    found = scim_schemas.resource_types(_base(request))
    return _one_of(found, name, "resource type") if name else _answer(_list_of(found))


@scim_endpoint("GET")
def schemas(request, name: str = ""):
    found = scim_schemas.schemas(_base(request))
    return _one_of(found, name, "schema") if name else _answer(_list_of(found))


@scim_endpoint("GET", "POST")
def users(request):
    base = _base(request)
    if request.method == "POST":
        person = scim.create_user(_body(request))
        resource = scim.user_resource(scim.scim_person(str(person.pk)), base)
        return _answer(resource, 201, resource["meta"]["location"])
    return _answer(scim.list_resources("Users", request.GET, base))


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request, resource_id: str):
    base, person = _base(request), scim.scim_person(resource_id)
    if request.method == "DELETE":
        scim.delete_user(person)
        return _answer(None, 204)
    if request.method == "PUT":
        scim.replace_user(person, _body(request))
    elif request.method == "PATCH":
        scim.patch_user(person, _body(request), base)
    return _answer(scim.user_resource(scim.scim_person(resource_id), base))


@scim_endpoint("GET", "POST")
def groups(request):
    base = _base(request)
    if request.method == "POST":
        department = scim.save_group(_body(request))
        resource = scim.group_resource(department, base)
        return _answer(resource, 201, resource["meta"]["location"])
    return _answer(scim.list_resources("Groups", request.GET, base))


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def group(request, resource_id: str):
    base, department = _base(request), scim.scim_department(resource_id)
    if request.method == "DELETE":
        scim.delete_group(department)
        return _answer(None, 204)
    if request.method == "PUT":
        department = scim.save_group(_body(request), department)
    elif request.method == "PATCH":
        department = scim.patch_group(department, _body(request), base)
    excluded = request.GET.get("excludedAttributes", "").lower()
    return _answer(scim.group_resource(department, base, "members" not in excluded))
