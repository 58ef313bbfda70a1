"""Under a real `kollega serve` (gunicorn, DEBUG off), uploaded files go only to those
who may have them: a restricted community's wiki image to its members, not to an
invitee or an outsider, and not by its stored /media/ name to anyone.

The database is the `server_database` fixture's: a SQLite file in the SQLite pass,
a fresh PostgreSQL database in the PostgreSQL pass. The sessions are made by the
setup script, as a sign-in would make them, and sent as the browser would.
"""

import http.client
import json
import subprocess
import sys

import pytest
from real_processes import free_port, start_server, stop, wait_until_up

pytestmark = pytest.mark.processes

SETUP = """
import io, json
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image
from kollega.communities import services as communities
from kollega.content.wikis import attachments, services as wikis
from kollega.people.services import create_person
call_command("migrate", verbosity=0, interactive=False)
people = (("maja", "Maja Lund"), ("ivar", "Ivar Ek"), ("nils", "Nils Holm"))
member, invitee, outsider = (create_person(username, name) for username, name in people)
secret = communities.create_community(member, "Secret", kind="restricted")
communities.invite_to_community(member, secret, invitee)
page = wikis.create_page(member, secret, "Plans", "Our plans.")
out = io.BytesIO()
Image.new("RGB", (4, 4), "red").save(out, "PNG")
found = attachments.attach_image(member, page, SimpleUploadedFile("plan.png", out.getvalue()))
sessions = {}
for person in (member, invitee, outsider):
    client = Client()
    client.force_login(person.user)
    sessions[person.user.username] = client.cookies["sessionid"].value
print(json.dumps({"url": found.get_absolute_url(), "stored": "/media/" + found.image.name,
                  "size": len(out.getvalue()), "sessions": sessions}))
"""


def get(port, path, session=None):
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def served(server_database, request):
    """(port, what the setup made) of a running `kollega serve`; stopped afterwards."""
    env = {**server_database.env, "KOLLEGA_ACCESS_LOG": "none", **getattr(request, "param", {})}
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=60
    )
    assert setup.returncode == 0, setup.stderr
    made = json.loads(setup.stdout.strip().splitlines()[-1])
    port = free_port()
    server = start_server(env, port, workers=1)
    try:
        wait_until_up(port)
        yield port, made
    finally:
        stop(server)


def test_a_restricted_wiki_image_goes_to_members_only(served):
    port, made = served
    sessions = made["sessions"]
    status, body = get(port, made["url"], sessions["maja"])
    assert (status, len(body), body[:4]) == (200, made["size"], b"\x89PNG")
    for outsider in ("ivar", "nils"):  # invited, and not at all
        assert get(port, made["url"], sessions[outsider])[0] == 404
        assert get(port, made["stored"], sessions[outsider])[0] == 404
    # Not by its stored name, even to a member; and nothing to someone signed out.
    assert get(port, made["stored"], sessions["maja"])[0] == 404
    assert get(port, made["url"])[0] == 302


@pytest.mark.parametrize("served", [{"KOLLEGA_SENDFILE_HEADER": "X-Accel-Redirect"}], indirect=True)
def test_behind_nginx_the_server_names_the_file_only_for_a_member(served):
    port, made = served
    name = made["stored"].removeprefix("/media/")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", made["url"], headers={"Cookie": f"sessionid={made['sessions']['maja']}"})
    response = conn.getresponse()
    assert (response.status, response.read()) == (200, b"")
    assert response.getheader("X-Accel-Redirect") == f"/protected-media/{name}"
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", made["url"], headers={"Cookie": f"sessionid={made['sessions']['ivar']}"})
    response = conn.getresponse()
    assert response.status == 404 and response.getheader("X-Accel-Redirect") is None
    conn.close()
