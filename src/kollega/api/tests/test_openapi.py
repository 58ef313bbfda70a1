"""The OpenAPI document describes every endpoint, for people and for client generators."""

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = {
    "/api/v1/people": {"get"},
    "/api/v1/departments": {"get"},
    "/api/v1/offices": {"get"},
    "/api/v1/people/{username}": {"get"},
    "/api/v1/me": {"get", "patch"},
    "/api/v1/me/privacy": {"get", "put"},
    "/api/v1/people/{username}/tags": {"post"},
    "/api/v1/people/{username}/tags/{tag}": {"delete"},
    "/api/v1/contacts": {"get"},
    "/api/v1/people/{username}/contacts": {"get"},
    "/api/v1/contacts/{username}": {"delete"},
    "/api/v1/invitations": {"get", "post"},
    "/api/v1/invitations/{invitation_id}/accept": {"post"},
    "/api/v1/invitations/{invitation_id}/ignore": {"post"},
    "/api/v1/invitations/{invitation_id}/withdraw": {"post"},
    "/api/v1/people/{username}/follow": {"post", "delete"},
    "/api/v1/tags/{name}/follow": {"post", "delete"},
    "/api/v1/stream": {"get"},
    "/api/v1/posts": {"post"},
    "/api/v1/posts/{post_id}": {"get", "patch", "delete"},
    "/api/v1/posts/{post_id}/comments": {"get", "post"},
    "/api/v1/posts/{post_id}/comments/{comment_id}": {"patch", "delete"},
    "/api/v1/edits/{kind}/{object_id}": {"get"},
    "/api/v1/posts/{post_id}/recommendation": {"post", "delete"},
    "/api/v1/people/{username}/board": {"get"},
    "/api/v1/notifications": {"get"},
    "/api/v1/notifications/unread-count": {"get"},
    "/api/v1/notifications/read": {"post"},
    "/api/v1/notifications/{notification_id}/read": {"post"},
    "/api/v1/me/mail-preferences": {"get", "put"},
    "/api/v1/questions": {"get", "post"},
    "/api/v1/questions/inbox": {"get"},
    "/api/v1/questions/similar": {"get"},
    "/api/v1/questions/{question_id}": {"get", "patch"},
    "/api/v1/questions/{question_id}/suggestions": {"get"},
    "/api/v1/questions/{question_id}/recipients": {"post"},
    "/api/v1/questions/{question_id}/routing": {"get"},
    "/api/v1/communities/{slug}/questions": {"get"},
    "/api/v1/questions/{question_id}/referrals": {"get", "post"},
    "/api/v1/questions/{question_id}/decline": {"post"},
    "/api/v1/questions/{question_id}/answers": {"get", "post"},
    "/api/v1/answers/{answer_id}": {"get", "patch"},
    "/api/v1/answers/{answer_id}/comments/{comment_id}": {"patch"},
    "/api/v1/answers/{answer_id}/comments": {"get", "post"},
    "/api/v1/answers/{answer_id}/helpful": {"post", "delete"},
    "/api/v1/answers/{answer_id}/confirmation": {"post"},
    "/api/v1/answers/{answer_id}/acceptance": {"post"},
    "/api/v1/communities": {"get", "post"},
    "/api/v1/communities/{slug}": {"get"},
    "/api/v1/communities/{slug}/members": {"get"},
    "/api/v1/communities/{slug}/stream": {"get"},
    "/api/v1/communities/{slug}/posts": {"post"},
    "/api/v1/communities/{slug}/join": {"post"},
    "/api/v1/communities/{slug}/leave": {"post"},
    "/api/v1/communities/{slug}/requests": {"get", "post"},
    "/api/v1/communities/{slug}/requests/{request_id}/approve": {"post"},
    "/api/v1/communities/{slug}/requests/{request_id}/refuse": {"post"},
    "/api/v1/communities/{slug}/invitations": {"post"},
    "/api/v1/communities/{slug}/invitation/accept": {"post"},
    "/api/v1/communities/{slug}/invitation/decline": {"post"},
    "/api/v1/communities/{slug}/members/{username}": {"delete"},
    "/api/v1/communities/{slug}/members/{username}/owner": {"post", "delete"},
    "/api/v1/communities/{slug}/follow": {"post", "delete"},
    "/api/v1/communities/{slug}/pin": {"put"},
    "/api/v1/communities/{slug}/posts/{post_id}/removal": {"post"},
    "/api/v1/communities/{slug}/posts/{post_id}/comments/{comment_id}/removal": {"post"},
    "/api/v1/experts": {"get"},
    "/api/v1/search": {"get"},
    "/api/v1/search/suggest": {"get"},
    "/api/v1/blogs/people/{username}/entries": {"get"},
    "/api/v1/blogs/communities/{slug}/entries": {"get"},
    "/api/v1/blog-entries": {"post"},
    "/api/v1/blog-entries/drafts": {"get"},
    "/api/v1/blog-entries/{entry_id}": {"get", "patch", "delete"},
    "/api/v1/blog-entries/{entry_id}/publication": {"post"},
    "/api/v1/blog-entries/{entry_id}/schedule": {"post", "delete"},
    "/api/v1/bookmarks": {"get", "post"},
    "/api/v1/bookmarks/saved-by": {"get"},
    "/api/v1/bookmarks/export": {"get"},
    "/api/v1/bookmarks/import": {"post"},
    "/api/v1/bookmarks/{bookmark_id}": {"get", "put", "delete"},
    "/api/v1/wiki/pages": {"get", "post"},
    "/api/v1/wiki/pages/{page_id}": {"get", "patch"},
    "/api/v1/wiki/pages/{page_id}/diff": {"get"},
    "/api/v1/wiki/pages/{page_id}/revisions": {"get"},
    "/api/v1/wiki/pages/{page_id}/revisions/{number}": {"get"},
    "/api/v1/wiki/pages/{page_id}/revisions/{number}/restore": {"post"},
    "/api/v1/listening/items": {"get"},
    "/api/v1/me/recommendations": {"get"},
    "/api/v1/me/recommendations/dismiss": {"post"},
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_lists_every_path_and_method(document):
    assert {path: set(ops) for path, ops in document["paths"].items()} == EXPECTED


def test_every_operation_is_described_authenticated_and_uniquely_named(document):
    operations = [op for ops in document["paths"].values() for op in ops.values()]
    names = [op["operationId"] for op in operations]
    assert len(names) == len(set(names))
    for op in operations:
        assert op.get("description") or op.get("summary"), op["operationId"]
        assert {"TokenAuth": []} in op["security"] and {"SessionAuth": []} in op["security"]
        assert "401" in op["responses"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_no_schema_exposes_passwords(document):
    text = str(document["components"]["schemas"]).lower()
    assert "password" not in text


def test_no_two_schemas_share_a_name():
    """The document names each schema once; two classes of one name would be merged into one,
    and one endpoint's answers would be documented with the other's fields."""
    from ninja import Schema

    from kollega.api.urls import api

    assert api.get_openapi_schema()  # every router imported
    names = {}

    def walk(cls):
        for schema in cls.__subclasses__():
            if schema.__module__.startswith("kollega") and not schema.__name__.endswith("Params"):
                names.setdefault(schema.__name__, set()).add(schema.__module__)
            walk(schema)

    walk(Schema)
    assert {name: modules for name, modules in names.items() if len(modules) > 1} == {}


def test_every_error_a_shared_layer_can_answer_is_documented_with_the_error_schema(document):
    """403 on every change (read-only token, missing CSRF token), 413 on every change (body
    over the limit), 404 wherever a path names something, and on every POST the
    Idempotency-Key header with its 409 (still in progress) and 422 (other body)."""
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            codes = {int(code) for code in op["responses"]}
            where = f"{method.upper()} {path}"
            for code, response in op["responses"].items():
                if int(code) >= 400:
                    # Error, or an error with more to say (a wiki edit conflict's ConflictOut).
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    schema = schemas[ref.rsplit("/", 1)[1]]
                    assert "detail" in schema["required"], where
                    assert schema["properties"]["detail"]["type"] == "string", where
            if method in {"post", "put", "patch", "delete"}:
                assert {400, 401, 403, 413} <= codes, where
            if "{" in path:
                assert 404 in codes, where
            headers = [p["name"] for p in op.get("parameters", []) if p["in"] == "header"]
            if method == "post":
                assert {409, 422} <= codes, where
                assert headers == ["Idempotency-Key"], where
            else:
                assert headers == [], where
                # An endpoint may refuse values it understood but cannot take (422,
                # e.g. PUT /me/mail-preferences); the Idempotency-Key's 422 is POST's only.
                if 422 in codes:
                    assert "Idempotency-Key" not in op["responses"]["422"]["description"], where
