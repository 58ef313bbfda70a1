"""`Idempotency-Key`: a repeated API POST creates nothing twice, through real requests."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kollega.api.idempotency import purge_expired_keys
from kollega.api.models import IdempotencyKey
from kollega.api.services import create_token
from kollega.people.tests.factories import PASSWORD
from kollega.posts.models import Post
from kollega.qa.models import Answer
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


def token_client(person) -> Client:
    _token, key = create_token(person, "tests")
    return Client(headers={"Authorization": f"Bearer {key}"})


def post(client: Client, path: str, body: dict, key: str | None = "key-1"):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_twenty_identical_posts_with_one_key_create_one_post(anna):
    client = token_client(anna)
    first = post(client, "/posts", {"body": "Fika at three"})
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    for _ in range(19):
        again = post(client, "/posts", {"body": "Fika at three"})
        assert again.status_code == 201
        assert again["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
    assert Post.objects.count() == 1


def test_twenty_identical_answers_with_one_key_create_one_answer(anna, bjorn):
    question = ask(anna)
    client = token_client(bjorn)
    path = f"/questions/{question.pk}/answers"
    answers = [post(client, path, {"body": "Three to five days, corked."}) for _ in range(20)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert Answer.objects.count() == 1


def test_without_a_key_every_post_counts(anna):
    client = token_client(anna)
    assert post(client, "/posts", {"body": "one"}, key=None).status_code == 201
    assert post(client, "/posts", {"body": "one"}, key=None).status_code == 201
    assert Post.objects.count() == 2


def test_the_same_key_with_another_body_is_422_and_creates_nothing(anna):
    client = token_client(anna)
    assert post(client, "/posts", {"body": "first"}).status_code == 201
    response = post(client, "/posts", {"body": "second"})
    assert response.status_code == 422
    assert "different request" in response.json()["detail"]
    assert list(Post.objects.values_list("body", flat=True)) == ["first"]


def test_the_same_key_on_another_path_is_422(anna):
    client = token_client(anna)
    assert post(client, "/posts", {"body": "first"}).status_code == 201
    assert post(client, "/questions", {"title": "first?", "body": ""}).status_code == 422


def test_a_key_still_in_progress_is_409(anna):
    client = token_client(anna)
    first = post(client, "/posts", {"body": "slow"})
    # As if the first request were still running: its answer not yet stored.
    IdempotencyKey.objects.update(response_status=None, response_body=b"")
    response = post(client, "/posts", {"body": "slow"})
    assert response.status_code == 409
    assert "still being processed" in response.json()["detail"]
    assert Post.objects.count() == 1 and first.status_code == 201


def test_keys_belong_to_their_person(anna, bjorn):
    assert post(token_client(anna), "/posts", {"body": "same words"}).status_code == 201
    response = post(token_client(bjorn), "/posts", {"body": "same words"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Post.objects.count() == 2


def test_a_persons_two_tokens_share_their_keys(anna):
    assert post(token_client(anna), "/posts", {"body": "from the laptop"}).status_code == 201
    response = post(token_client(anna), "/posts", {"body": "from the laptop"})
    assert response["Idempotent-Replayed"] == "true"
    assert Post.objects.count() == 1


def test_a_refused_request_releases_its_key_for_the_corrected_one(anna):
    client = token_client(anna)
    assert post(client, "/posts", {"body": "   "}).status_code == 400
    assert post(client, "/posts", {"body": "   "}).status_code == 400  # not replayed: re-checked
    response = post(client, "/posts", {"body": "Now with words"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Post.objects.count() == 1


def test_a_key_is_kept_24_hours_then_forgotten(anna):
    client = token_client(anna)
    assert post(client, "/posts", {"body": "daily"}).status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = post(client, "/posts", {"body": "daily"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Post.objects.count() == 2


def test_old_keys_are_purged(anna):
    client = token_client(anna)
    post(client, "/posts", {"body": "a"}, key="old")
    post(client, "/posts", {"body": "b"}, key="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_expired_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_a_session_post_with_its_csrf_token_is_idempotent_too(anna):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="anna", password=PASSWORD)
    client.get("/")
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value, "Idempotency-Key": "page-1"}
    for _ in range(2):
        response = client.post(
            "/api/v1/posts",
            json.dumps({"body": "From the page"}),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 201
    assert Post.objects.count() == 1


def test_a_key_without_credentials_is_still_401(db):
    response = post(Client(), "/posts", {"body": "who?"})
    assert response.status_code == 401
    assert IdempotencyKey.objects.count() == 0


def test_an_overlong_key_is_400(anna):
    response = post(token_client(anna), "/posts", {"body": "x"}, key="k" * 256)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert Post.objects.count() == 0
