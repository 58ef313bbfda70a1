"""The guard on real writes: services, the composer and the API."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kollega.communities.models import Community
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis.models import Page
from kollega.people.tests.factories import signed_in
from kollega.posts.models import Comment, Post
from kollega.posts.services import comment_on_post, post_on_board

pytestmark = pytest.mark.django_db


def test_a_password_to_the_organisation_is_blocked_and_nothing_is_saved(anna):
    with pytest.raises(ValidationError) as caught:
        post_on_board(anna, "Wifi: password=hunter2", audience="organisation")
    assert caught.value.code == "guard_block"
    assert Post.objects.count() == 0


def test_a_personnummer_on_a_board_warns_and_goes_through_with_a_reason(anna):
    with pytest.raises(ValidationError):
        post_on_board(anna, "Ny anställd, pnr 811218-9876", audience="board")
    assert Post.objects.count() == 0
    post = post_on_board(
        anna, "Ny anställd, pnr 811218-9876", audience="board", guard_override="HR onboarding"
    )
    assert Post.objects.get().pk == post.pk


def test_a_comment_is_screened_for_its_posts_audience(anna, bjorn):
    post = post_on_board(anna, "Who has the card for the taxi?")
    with pytest.raises(ValidationError):
        comment_on_post(bjorn, post, "Use 5555 5555 5555 4444")
    assert Comment.objects.count() == 0


def _composer_token(client) -> str:
    html = client.get("/").content.decode()
    form = re.search(r'<form method="post" action="/posts/new/".*?</form>', html, re.S).group(0)
    return re.search(r'name="form_once" value="([^"]+)"', form).group(1)


def test_a_blocked_post_keeps_the_authors_text_in_the_composer(anna):
    client = signed_in(anna)
    body = "Deploy key: AKIAIOSFODNN7EXAMPLE, thanks!"
    page = client.post(
        "/posts/new/",
        {"body": body, "audience": "organisation", "form_once": _composer_token(client)},
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "password, key or access token" in html
    assert "Deploy key: AKIAIOSFODNN7EXAMPLE, thanks!</textarea>" in html
    assert 'name="guard_override"' not in html  # a block cannot be overridden
    assert Post.objects.count() == 0


def test_a_warned_post_asks_for_a_reason_and_goes_out_with_one(anna):
    client = signed_in(anna)
    body = "CONFIDENTIAL: the offsite is in Bergen"
    form = {"body": body, "audience": "organisation", "form_once": _composer_token(client)}
    page = client.post("/posts/new/", form)
    html = page.content.decode()
    assert page.status_code == 400
    assert "confidentiality label" in html and 'name="guard_override"' in html
    assert Post.objects.count() == 0
    resent = client.post(
        "/posts/new/",
        {
            **form,
            "form_once": re.search(r'name="form_once" value="([^"]+)"', html).group(1),
            "guard_override": "Announced at the all-hands already",
        },  # fmt: skip
        HTTP_REFERER="/",
    )
    assert resent.status_code == 302
    assert Post.objects.get().body == body


def test_the_api_refuses_a_block_and_a_warning_without_override(anna, api_as):
    api = api_as(anna)
    blocked = api.post("/posts", {"body": "token ghp_" + "a1B2c3D4" * 5})
    assert blocked.status_code == 400
    assert "password, key or access token" in blocked.json()["detail"]
    warned = api.post("/posts", {"body": "pnr 811218-9876", "audience": "network"})
    assert warned.status_code == 400 and "reason" in warned.json()["detail"]
    assert Post.objects.count() == 0
    shared = api.post(
        "/posts",
        {"body": "pnr 811218-9876", "audience": "network", "guard_override": "payroll"},
    )
    assert shared.status_code == 201
    overridden = api.post(
        "/posts", {"body": "password=hunter2", "audience": "network", "guard_override": "x"}
    )
    assert overridden.status_code == 400
    assert Post.objects.count() == 1


def test_the_api_screens_comments_too(anna, api_as):
    post = post_on_board(anna, "Bank details for the trip?", audience="network")
    api = api_as(anna)
    body = {"body": "NO93 8601 1117 947"}
    assert api.post(f"/posts/{post.pk}/comments", body).status_code == 400
    body["guard_override"] = "the trip account"
    assert api.post(f"/posts/{post.pk}/comments", body).status_code == 201


def test_the_command_prints_one_json_object_per_line(tmp_path, capsys):
    path = tmp_path / "texts.txt"
    path.write_text(
        "Lunch at noon\npassword=hunter2\npnr ８１１２１８-９８７６\n", encoding="utf-8"
    )
    call_command("guard", "check", str(path), "--json", "--audience", "network")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"line": 1, "verdict": "ok", "findings": []},
        {"line": 2, "verdict": "block", "findings": [{"kind": "secret", "start": 0, "end": 16}]},
        {
            "line": 3,
            "verdict": "warn",
            "findings": [{"kind": "personnummer", "start": 4, "end": 15}],
        },
    ]


def test_the_command_without_json_prints_a_line_per_text_and_refuses_a_missing_file(
    tmp_path, capsys
):
    path = tmp_path / "texts.txt"
    path.write_text("CONFIDENTIAL\n", encoding="utf-8")
    call_command("guard", "check", str(path))
    assert capsys.readouterr().out == "1: warn (confidentiality_label 0-12)\n"
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("guard", "check", str(tmp_path / "missing.txt"))


def test_questions_answers_and_their_comments_are_screened(anna, bjorn, api_as):
    from kollega.qa.models import Answer, Question

    api = api_as(anna)
    refused = api.post(
        "/questions", {"title": "Card 4111 1111 1111 1111 declined?", "body": "Why?"}
    )
    assert refused.status_code == 400 and Question.objects.count() == 0
    asked = api.post("/questions", {"title": "Who books the offsite?", "audience": "organisation"})
    question_id = asked.json()["id"]
    answer = {"body": "CONFIDENTIAL: Dag does"}
    bjorn_api = api_as(bjorn)
    assert bjorn_api.post(f"/questions/{question_id}/answers", answer).status_code == 400
    answer["guard_override"] = "already announced"
    answered = bjorn_api.post(f"/questions/{question_id}/answers", answer)
    assert answered.status_code == 201 and Answer.objects.count() == 1
    comment = {"body": "password=hunter2 for the booking site"}
    path = f"/answers/{answered.json()['id']}/comments"
    assert api.post(path, comment).status_code == 400


def test_the_ask_page_keeps_the_question_and_asks_for_a_reason(anna):
    client = signed_in(anna)
    form = {"title": "Offsite", "body": "KONFIDENTIELLT: var?", "audience": "organisation"}
    html = client.post("/questions/ask/", form).content.decode()
    assert "confidentiality label" in html and 'name="guard_override"' in html
    assert "KONFIDENTIELLT: var?</textarea>" in html
    assert 'name="guard_override"' not in client.get("/questions/ask/").content.decode()


def test_blog_entries_wiki_pages_bookmarks_and_communities_are_screened(anna):
    from kollega.communities.services import create_community
    from kollega.content.blogs.models import BlogEntry
    from kollega.content.blogs.services import write_entry
    from kollega.content.bookmarks.services import save_bookmark
    from kollega.content.wikis.models import Page
    from kollega.content.wikis.services import create_page

    secret = "deploy with password=hunter2"
    with pytest.raises(ValidationError):
        write_entry(anna, "Release notes", secret, publish=True)
    with pytest.raises(ValidationError):
        create_page(anna, None, "Release", secret)
    with pytest.raises(ValidationError):
        save_bookmark(anna, "https://shop.example/pay?card=4111111111111111", "Shop")
    with pytest.raises(ValidationError):
        create_community(anna, "Payroll", "Ask here; IBAN SE45 5000 0000 0583 9825 7466")
    assert [m.objects.count() for m in (BlogEntry, Page, Bookmark, Community)] == [0, 0, 0, 0]
    # A private bookmark is shared with nobody: nothing to screen.
    save_bookmark(anna, "https://example.com", "Mine", "pnr 811218-9876", audience="private")
    assert Bookmark.objects.count() == 1


def test_a_community_post_through_the_api_takes_an_override(anna, api_as):
    from kollega.communities.services import create_community

    create_community(anna, "Payroll", "Salaries and expenses")
    api = api_as(anna)
    body = {"body": "Anställd 811218-9876 saknar lön"}
    assert api.post("/communities/payroll/posts", body).status_code == 400
    body["guard_override"] = "the payroll team must act"
    assert api.post("/communities/payroll/posts", body).status_code == 201


def _once(html: str) -> str:
    return re.search(r'name="form_once" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    ("path", "form", "model"),
    [
        (
            "/wiki/new/",
            {"title": "Offsite", "body": "CONFIDENTIAL: the offsite is in Bergen", "summary": ""},
            Page,
        ),
        (
            "/communities/new/",
            {"name": "Offsite", "description": "CONFIDENTIAL: plans", "kind": "open"},
            Community,
        ),
        (
            "/bookmarks/save/",
            {
                "url": "https://example.org/bergen",
                "title": "Venue",
                "notes": "CONFIDENTIAL: the offsite venue",
                "tags": "",
                "audience": "organisation",
                "community": "",
            },
            Bookmark,
        ),
    ],
    ids=["wiki page", "community", "bookmark"],
)
def test_a_warned_page_bookmark_or_community_asks_for_a_reason_and_is_saved_with_one(
    anna, path, form, model
):
    client = signed_in(anna)
    page = client.post(path, {**form, "form_once": _once(client.get(path).content.decode())})
    html = page.content.decode()
    assert page.status_code == 400
    assert "confidentiality label" in html and 'name="guard_override"' in html
    assert not model.objects.exists()
    resent = client.post(
        path, {**form, "form_once": _once(html), "guard_override": "Shared at the all-hands"}
    )
    assert resent.status_code == 302
    assert model.objects.count() == 1


def test_a_comment_on_an_answer_can_carry_a_reason_from_the_question_page(anna, bjorn):
    from kollega.qa.models import AnswerComment
    from kollega.qa.services import answer_question, ask_question

    question = ask_question(anna, "Where is the offsite?")
    answer = answer_question(bjorn, question, "In Bergen.")
    client = signed_in(anna)
    html = client.get(question.get_absolute_url()).content.decode()
    assert 'name="guard_override"' in html
    form = {"body": "CONFIDENTIAL: the hotel too", "form_once": _once(html)}
    client.post(f"/answers/{answer.pk}/comment/", form)
    assert not AnswerComment.objects.exists()
    html = client.get(question.get_absolute_url()).content.decode()
    reason = {"guard_override": "The team knows already", "form_once": _once(html)}
    client.post(f"/answers/{answer.pk}/comment/", {**form, **reason})
    assert AnswerComment.objects.get().body == "CONFIDENTIAL: the hotel too"


def test_the_composer_hears_what_the_guard_would_say_before_posting(anna):
    client = signed_in(anna)
    assert 'hx-post="/guard/hint/"' in client.get("/").content.decode()
    block = client.post("/guard/hint/", {"body": "password=hunter2", "audience": "organisation"})
    assert "cannot be shared" in block.content.decode() and 'class="guard-hint block"' in (
        block.content.decode()
    )
    warn = client.post("/guard/hint/", {"body": "CONFIDENTIAL: offsite", "audience": "network"})
    assert "confidentiality label" in warn.content.decode()
    fine = client.post("/guard/hint/", {"body": "Fika at three", "audience": "organisation"})
    assert fine.content.decode().strip() == ""
    # A hint saves nothing and leaves no trace of an override.
    assert not Post.objects.exists()
