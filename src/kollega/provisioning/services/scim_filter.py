"""SCIM filters (RFC 7644 §3.4.2.2) turned into a query: `userName eq "anna"`,
`emails[type eq "work"].value eq "a@b.se" and active eq true`, with `and`, `or`,
`not (…)`, brackets and the operators eq ne co sw ew gt ge lt le pr.

Each resource type names the attributes it can filter on (`USER_ATTRIBUTES`,
`GROUP_ATTRIBUTES`: a lower-cased path → the model field, and whether it is
case-exact); any other attribute is an `invalidFilter` error, never ignored.
"""

import json
import re

from django.db.models import Q

from kollega.provisioning.services.scim_errors import ScimError

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:user"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:group"

# lower-cased attribute path → (model lookup, case exact, kind)
USER_ATTRIBUTES = {
    "id": ("pk", True, "id"),
    "externalid": ("directory_links__key", True, "str"),
    "username": ("user__username", False, "str"),
    "displayname": ("name", False, "str"),
    "name.formatted": ("name", False, "str"),
    "title": ("title", False, "str"),
    "active": ("user__is_active", True, "bool"),
    "emails": ("user__email", False, "str"),
    "emails.value": ("user__email", False, "str"),
    "phonenumbers": ("phone", False, "str"),
    "phonenumbers.value": ("phone", False, "str"),
    "department": ("department__name", False, "str"),
    "manager": ("manager_id", True, "id"),
    "manager.value": ("manager_id", True, "id"),
}
GROUP_ATTRIBUTES = {
    "id": ("pk", True, "id"),
    "externalid": ("scim_group__key", True, "str"),
    "displayname": ("name", False, "str"),
    "members": ("people__pk", True, "id"),
    "members.value": ("people__pk", True, "id"),
}
OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
_TOKEN = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"\[]+(?:\[[^\]]*\][^\s()]*)?)')
_BRACKET = re.compile(r"^([\w:.]+?)\[(\w+)\s+eq\s+(\"(?:[^\"\\]|\\.)*\")\](?:\.(\w+))?$", re.I)


def _invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise _invalid(f"Cannot read the filter at: {text[position:][:40]}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _attribute(path: str, attributes: dict) -> tuple[str, bool, str]:
    """The lookup for an attribute path (`emails[type eq "work"].value`: Kollega keeps one
    address, the work one, so the bracket's condition is met by it)."""
    bracket = _BRACKET.match(path)
    if bracket:
        name, _inner, _value_token, sub = bracket.groups()
        path = f"{name}.{sub}"
    return _known(path, attributes)


def _value_path(token: str, attributes: dict) -> Q | None:
    """`emails[value eq "x"]` standing alone: a condition on the value itself."""
    bracket = _BRACKET.match(token)
    if not bracket or bracket.group(4) is not None:
        return None
    name, inner, value, _sub = bracket.groups()
    if inner.lower() != "value":
        raise _invalid(f"Only [value eq …] can stand alone in a filter: {token}")
    return _comparison(f"{name}.value", "eq", value, attributes)


def _known(path: str, attributes: dict) -> tuple[str, bool, str]:
    key = path.lower()
    for urn in (ENTERPRISE, CORE_USER, CORE_GROUP):
        if key.startswith(urn + ":"):
            key = key[len(urn) + 1 :]
    if key not in attributes:
        raise _invalid(f"Cannot filter on {path}.")
    return attributes[key]


def _value(token: str, kind: str):
    try:
        value = json.loads(token)
    except ValueError:
        raise _invalid(f"Not a JSON value: {token}") from None
    if isinstance(value, str) and "\x00" in value:  # no stored text holds one
        raise _invalid("A filter value cannot hold a NUL character.")
    if kind == "bool" and not isinstance(value, bool):
        raise _invalid(f"{token} is not true or false.")
    if kind == "id":
        return value if isinstance(value, int) else (int(value) if str(value).isdigit() else None)
    if kind == "str" and not isinstance(value, str):
        raise _invalid(f"{token} is not a string.")
    return value


def _comparison(path: str, operator: str, token: str | None, attributes: dict) -> Q:
    lookup, exact, kind = _attribute(path, attributes)
    if operator == "pr":
        if kind == "bool":
            return Q(**{f"{lookup}__isnull": False})
        return Q(**{f"{lookup}__isnull": False}) & ~Q(**{lookup: ""}) if kind == "str" else Q()
    value = _value(token, kind)
    if kind == "id" and value is None:
        return Q(pk__in=[]) if operator == "eq" else Q()
    ci = "" if exact or kind != "str" else "i"
    suffix = {
        "eq": f"{ci}exact",
        "ne": f"{ci}exact",
        "co": f"{ci}contains",
        "sw": f"{ci}startswith",
        "ew": f"{ci}endswith",
        "gt": "gt",
        "ge": "gte",
        "lt": "lt",
        "le": "lte",
    }[operator]
    if kind == "bool" and operator not in ("eq", "ne"):
        raise _invalid(f"{operator} does not compare true or false.")
    condition = Q(**{f"{lookup}__{suffix}": value})
    if lookup == "directory_links__key":  # the SCIM client's key, not LDAP's or a CSV's
        condition &= Q(directory_links__source="scim")
    return ~condition if operator == "ne" else condition


class _Parser:
    def __init__(self, tokens: list[str], attributes: dict):
        self.tokens, self.at, self.attributes = tokens, 0, attributes

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise _invalid("The filter ends too early.")
        self.at += 1
        return token

    def expression(self) -> Q:
        q = self.term()
        while (self.peek() or "").lower() == "or":
            self.take()
            q = q | self.term()
        return q

    def term(self) -> Q:
        q = self.factor()
        while (self.peek() or "").lower() == "and":
            self.take()
            q = q & self.factor()
        return q

    def factor(self) -> Q:
        token = self.take()
        if token.lower() == "not":
            if self.take() != "(":
                raise _invalid("not must be followed by (.")
            q = self.expression()
            if self.take() != ")":
                raise _invalid("A ( is not closed.")
            return ~q
        if token == "(":
            q = self.expression()
            if self.take() != ")":
                raise _invalid("A ( is not closed.")
            return q
        value_path = _value_path(token, self.attributes)
        if value_path is not None:
            return value_path
        operator = self.take().lower()
        if operator == "pr":
            return _comparison(token, "pr", None, self.attributes)
        if operator not in OPERATORS:
            raise _invalid(f"Unknown operator {operator}.")
        return _comparison(token, operator, self.take(), self.attributes)


def parse_filter(text: str, attributes: dict) -> Q:
    """The condition `text` says, or a ScimError (400, invalidFilter) saying what is wrong."""
    tokens = _tokens(text)
    if not tokens:
        raise _invalid("The filter is empty.")
    parser = _Parser(tokens, attributes)
    q = parser.expression()
    if parser.peek() is not None:
        raise _invalid(f"Unexpected {parser.peek()} in the filter.")
    return q
