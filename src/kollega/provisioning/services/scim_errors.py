"""SCIM's error answer (RFC 7644 §3.12). Its `detail` stays in English: it is read by
the identity provider's logs and its administrators' tooling, not shown to people."""

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    """A SCIM request cannot be done: `status`, a `scim_type` (invalidValue, invalidFilter,
    uniqueness, mutability, invalidSyntax, noTarget, …) and a `detail` for the client."""

    def __init__(self, status: int, detail: str, scim_type: str = ""):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def as_json(self) -> dict:
        answer = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            answer["scimType"] = self.scim_type
        return answer
