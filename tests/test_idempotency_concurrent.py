"""Twenty identical API POSTs sent at once with one Idempotency-Key create one item.

A real `kollega serve` (two gunicorn workers, so two processes race) on the
database of the `server_database` fixture; twenty threads send at the same moment.
"""

import http.client
import json
import subprocess
import sys
import threading

import pytest
from real_processes import free_port, start_server, stop, wait_until_up

pytestmark = pytest.mark.processes

SETUP = """
import django
django.setup()
from django.core.management import call_command
from kollega.api.services import create_token
from kollega.people.services import create_person
from kollega.qa import services
call_command("migrate", verbosity=0, interactive=False)
alice = create_person("alice", "Alice Ek")
bob = create_person("bob", "Bob Berg")
question = services.ask_question(alice, "How long does opened wine keep?", "Red, corked.")
print(create_token(alice, "race")[1], create_token(bob, "race")[1], question.pk)
"""


@pytest.fixture
def server(server_database):
    env = {**server_database.env, "KOLLEGA_ACCESS_LOG": "none"}
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=60
    )
    assert setup.returncode == 0, setup.stderr
    alice, bob, question_id = setup.stdout.split()[-3:]
    port = free_port()
    process = start_server(env, port, workers=2)
    try:
        wait_until_up(port)
        yield port, alice, bob, int(question_id)
    finally:
        stop(process)


def race(port, token, path, payload, key, senders=20):
    """Send the same POST from `senders` threads released at once; their (status, body)."""
    start = threading.Barrier(senders)
    answers = []

    def send():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        start.wait()
        conn.request("POST", path, json.dumps(payload), headers)
        response = conn.getresponse()
        answers.append((response.status, json.loads(response.read())))
        conn.close()

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return answers


def test_twenty_posts_and_answers_at_once_with_one_key_create_one_each(server, server_database):
    port, alice, bob, question_id = server
    answers = race(port, alice, "/api/v1/posts", {"body": "Fika at three?"}, "race-post")
    assert len(answers) == 20
    # Each is the first answer replayed, or 409 while the first still ran; never a second post.
    assert {status for status, _ in answers} <= {201, 409}
    assert len({body["id"] for status, body in answers if status == 201}) == 1
    assert server_database.query(
        "SELECT COUNT(*) FROM posts_post WHERE body = %s", ("Fika at three?",)
    ) == [(1,)]

    path = f"/api/v1/questions/{question_id}/answers"
    answers = race(port, bob, path, {"body": "Three to five days."}, "race-answer")
    assert {status for status, _ in answers} <= {201, 409}
    assert len({body["id"] for status, body in answers if status == 201}) == 1
    assert server_database.query("SELECT COUNT(*) FROM qa_answer") == [(1,)]
