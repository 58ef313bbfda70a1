"""Every page is sent with a Content-Security-Policy that runs no inline code, and
none of our pages needs any: no inline <script>, no on…= handler, no style=
attribute, no javascript: link that runs here. So an injected script is refused by
the browser even if it ever got past the Markdown sanitizer."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from kollega.communities.services import create_community, post_in_community
from kollega.content.blogs.services import write_entry
from kollega.content.bookmarks.services import save_bookmark
from kollega.content.wikis.services import create_page
from kollega.network.services import connect
from kollega.people.tests.factories import PASSWORD, signed_in
from kollega.posts.services import comment_on_post, post_on_board
from kollega.qa.services.answers import answer_question
from kollega.qa.services.asking import ask_question

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


class InlineCode(HTMLParser):
    """What in a page would need 'unsafe-inline': scripts, handlers, style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style=…>")
            if name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
            if (
                name in {"href", "action", "src", "formaction"}
                and (value or "").strip().lower().startswith("javascript:")
                and "data-bookmarklet" not in attrs
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def pages(anna, bjorn):
    """One of each kind of page, with content in it, as Anna sees them."""
    connect(anna, bjorn)
    post = post_on_board(bjorn, "Who has the key to the cellar? @anna #wine")
    comment_on_post(anna, post, "I do, @bjorn")
    question = ask_question(bjorn, "How long does an opened bottle keep?", tags=["wine"])
    answer_question(anna, question, "About five days in the fridge.")
    cellar = create_community(anna, "Cellar", "Everything about storage", tags=["wine"])
    post_in_community(anna, cellar, "Pinned reading for the cellar")
    entry = write_entry(anna, "Notes from the tasting", "We tried #wine.", publish=True)
    bookmark = save_bookmark(anna, "https://example.org/wine", "Wine notes", tags=["wine"])
    parent = create_page(anna, None, "Policies", "All our policies.")
    child = create_page(anna, None, "Social media", "Be kind.", parent=parent)
    return [
        "/",
        "/?filter=contacts",
        anna.get_absolute_url(),
        bjorn.get_absolute_url(),
        "/me/edit/",
        "/people/",
        "/people/?q=bj",
        "/experts/?q=wine",
        "/network/",
        "/questions/",
        "/questions/ask/",
        "/questions/overview/",
        question.get_absolute_url(),
        "/communities/",
        cellar.get_absolute_url(),
        f"/communities/{cellar.slug}/members/",
        "/blogs/",
        "/blogs/write/",
        entry.get_absolute_url(),
        "/wiki/",
        parent.get_absolute_url(),
        child.get_absolute_url(),
        child.get_absolute_url() + "edit/",
        child.get_absolute_url() + "history/",
        "/bookmarks/",
        bookmark.get_absolute_url(),
        "/bookmarks/save/?url=https://example.org/beer",
        "/search/?q=wine",
        "/notifications/",
        "/settings/security/",
        "/tags/wine/",
        f"/posts/{post.pk}/",
        "/no-such-page/",
    ]


def test_every_page_forbids_inline_scripts_and_needs_none(anna, pages):
    client = signed_in(anna)
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert inline_code(response.content.decode()) == [], path


def test_the_sign_in_page_and_the_admin_run_no_inline_code(client, anna):
    response = client.get("/login/")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert inline_code(response.content.decode()) == []

    anna.user.is_staff = anna.user.is_superuser = True
    anna.user.save()
    admin = signed_in(anna)
    for path in ("/admin/", "/admin/people/person/", f"/admin/people/person/{anna.pk}/change/"):
        response = admin.get(path)
        assert response.status_code == 200, path
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], path
        assert inline_code(response.content.decode()) == [], path


def test_a_script_written_in_a_post_is_neither_inline_code_nor_allowed(anna):
    post_on_board(
        anna, '<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )
    response = signed_in(anna).get("/")
    assert inline_code(response.content.decode()) == []
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_pages_turn_off_browser_features_and_keep_addresses_and_types_to_themselves(client, anna):
    for response in (client.get("/login/"), signed_in(anna).get("/"), client.get("/api/v1/me")):
        permissions = response.headers["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in permissions
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response.headers


def test_htmx_may_not_evaluate_code_or_run_scripts_it_swaps_in(anna):
    html = signed_in(anna).get("/").content.decode()
    assert '"allowEval": false' in html
    assert '"allowScriptTags": false' in html
    assert '"includeIndicatorStyles": false' in html


def test_in_debug_djangos_own_error_pages_go_without_the_policy_and_ours_keep_it(settings, anna):
    # Django's technical 404/500 pages are written with inline script and style.
    settings.DEBUG = True
    client = signed_in(anna)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Content-Security-Policy" not in missing.headers
    assert "Permissions-Policy" in missing.headers
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]


def test_a_form_refused_for_its_csrf_token_gets_our_page_not_djangos_inline_styled_one(anna):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=anna.user.username, password=PASSWORD)
    response = client.post("/posts/new/", {"body": "Hello"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be sent" in html
    assert "kollega.css" in html
    assert inline_code(html) == []
