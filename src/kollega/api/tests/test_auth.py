"""Who may call the API: tokens, the browser session with CSRF, and nobody else."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kollega.api.models import ApiToken
from kollega.api.services import create_token, revoke_token
from kollega.api.tests.conftest import ApiClient
from kollega.people.tests.factories import PASSWORD, deactivate, signed_in
from kollega.posts.models import Post

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_and_only_its_hash_is_stored(anna):
    token, key = create_token(anna, "laptop")
    assert key.startswith("kol_")
    assert key not in (token.key_hash, token.prefix) and token.key_hash == ApiToken.hash_key(key)
    response = ApiClient(key).get("/me")
    assert response.status_code == 200
    assert response.json()["username"] == "anna"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header", [None, "Bearer kol_not-a-real-token", "Bearer ", "Basic YW5uYTpwdw==", "kol_x"]
)
def test_no_or_bad_credentials_get_401(anna, header):
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_gets_401(anna):
    token, key = create_token(anna)
    client = ApiClient(key)
    assert client.get("/me").status_code == 200
    revoke_token(token.pk)
    assert client.get("/me").status_code == 401
    assert client.post("/posts", {"body": "still here?"}).status_code == 401
    assert Post.objects.count() == 0


def test_the_token_of_someone_who_left_gets_401(anna):
    _token, key = create_token(anna)
    deactivate(anna)
    assert ApiClient(key).get("/me").status_code == 401


def test_a_bad_token_is_401_even_with_a_signed_in_session(anna):
    client = Client(headers={"Authorization": "Bearer kol_wrong"})
    client.login(username="anna", password=PASSWORD)
    assert client.get("/api/v1/me").status_code == 401


def test_the_session_works_for_reading(anna):
    response = signed_in(anna, enforce_csrf_checks=True).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "anna"


def test_a_session_post_without_csrf_token_is_refused_and_changes_nothing(anna):
    client = signed_in(anna, enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/posts", json.dumps({"body": "Forged"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    response = client.delete("/api/v1/people/anna/follow")
    assert response.status_code == 403
    assert Post.objects.count() == 0


def test_a_session_post_with_the_csrf_token_works(anna):
    client = signed_in(anna, enforce_csrf_checks=True)
    client.get("/")  # any page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/posts",
        json.dumps({"body": "From the page's script"}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201
    assert Post.objects.get().body == "From the page's script"


def test_a_token_needs_no_csrf_token_even_when_csrf_is_enforced(anna, api_as):
    response = api_as(anna, enforce_csrf_checks=True).post("/posts", {"body": "Scripted"})
    assert response.status_code == 201


def test_openapi_document_and_docs_need_no_sign_in(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


# --- the `kollega token` command ------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_token_command_creates_lists_and_revokes(anna):
    out, err = run("create", "anna", "--name", "CI job")
    key = out.strip()
    assert key.startswith("kol_") and "not shown again" in err
    token = ApiToken.objects.get()
    assert token.name == "CI job" and token.key_hash == ApiToken.hash_key(key)
    assert ApiClient(key).get("/me").status_code == 200

    listing, _err = run("list", "anna")
    assert "CI job" in listing and token.prefix in listing and key not in listing

    out, _err = run("revoke", str(token.pk))
    assert "revoked" in out
    assert ApiClient(key).get("/me").status_code == 401


def test_token_command_refuses_unknown_people_tokens_and_leavers(anna):
    with pytest.raises(CommandError, match="Nobody here is called ghost"):
        run("create", "ghost")
    with pytest.raises(CommandError, match="no token 999"):
        run("revoke", "999")
    deactivate(anna)
    with pytest.raises(CommandError, match="has left"):
        run("create", "anna")
    assert ApiToken.objects.count() == 0


# --- a real HTTP round trip -----------------------------------------------------------------


def http(live_server, method: str, path: str, key: str | None, body=None):
    request = urllib.request.Request(
        live_server.url + "/api/v1" + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {key}"} if key else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.mark.django_db(transaction=True)
def test_token_flow_over_real_http(live_server, anna, bjorn):
    _token, key = create_token(anna)
    status, body = http(live_server, "POST", "/posts", key, {"body": "Over the wire, @bjorn"})
    assert status == 201, body
    post_id = body["id"]

    status, body = http(live_server, "GET", "/stream", key)
    assert status == 200 and [p["id"] for p in body["items"]] == [post_id]
    assert body["items"][0]["url"].startswith(live_server.url)

    status, body = http(live_server, "POST", f"/posts/{post_id}/comments", key, {"body": "Me too"})
    assert status == 201 and body["author"]["username"] == "anna"

    status, body = http(live_server, "POST", "/posts", key, {"body": "   "})
    assert (status, body) == (400, {"detail": "Write something first."})

    status, body = http(live_server, "GET", "/me", "kol_wrong")
    assert status == 401
