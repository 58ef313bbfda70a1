"""What the SCIM service provider says about itself (RFC 7643 §5–7): its configuration,
its resource types and the schemas of the attributes it keeps."""

from kollega.limits import SCIM_PAGE_ITEMS
from kollega.provisioning.services.scim import CORE_GROUP, CORE_USER, ENTERPRISE

SPC = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
DOCS = "https://github.com/kollega/kollega/blob/main/docs/identity.md"


def service_provider_config(base: str) -> dict:
    supported = {"supported": True}
    return {
        "schemas": [SPC],
        "documentationUri": DOCS,
        "patch": supported,
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": SCIM_PAGE_ITEMS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token made by `kollega scim token create NAME`.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }


def resource_types(base: str) -> list[dict]:
    return [
        {
            "schemas": [RESOURCE_TYPE],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A person",
            "schema": CORE_USER,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        },
        {
            "schemas": [RESOURCE_TYPE],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A department",
            "schema": CORE_GROUP,
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"},
        },
    ]


def _attr(name, kind="string", multi=False, sub=None, required=False, **more) -> dict:
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "required": required,
        "caseExact": more.pop("caseExact", False),
        "mutability": more.pop("mutability", "readWrite"),
        "returned": "default",
        "uniqueness": more.pop("uniqueness", "none"),
    }
    if sub:
        attribute["subAttributes"] = sub
    return attribute


def _multi(name: str, *subs: str) -> dict:
    return _attr(name, "complex", True, [_attr(s) for s in subs] + [_attr("primary", "boolean")])


def schemas(base: str) -> list[dict]:
    user = [
        _attr("userName", required=True, uniqueness="server"),
        _attr("name", "complex", sub=[_attr(s) for s in ("formatted", "givenName", "familyName")]),
        _attr("displayName"),
        _attr("title"),
        _attr("active", "boolean"),
        _attr("timezone"),
        _attr("preferredLanguage"),
        _multi("emails", "value", "type"),
        _multi("phoneNumbers", "value", "type"),
        _multi("addresses", "formatted", "locality", "country", "type"),
    ]
    manager = _attr(
        "manager", "complex", sub=[_attr("value"), _attr("displayName", mutability="readOnly")]
    )
    group = [
        _attr("displayName", required=True, uniqueness="server"),
        _attr("members", "complex", True, [_attr("value"), _attr("display")]),
    ]
    found = [
        (CORE_USER, "User", "A person", user),
        (ENTERPRISE, "EnterpriseUser", "Department and manager", [_attr("department"), manager]),
        (CORE_GROUP, "Group", "A department", group),
    ]
    return [
        {
            "schemas": [SCHEMA],
            "id": urn,
            "name": name,
            "description": description,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{urn}"},
        }
        for urn, name, description, attributes in found
    ]
