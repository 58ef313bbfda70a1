"""What lands in the trail when colleagues and operators do things."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kollega.audit.models import Action, Entry
from kollega.cli import operator_for
from kollega.communities.services.creating import create_community
from kollega.communities.services.membership import join_community
from kollega.communities.services.moderation import remove_post
from kollega.content.bookmarks.services import edit_bookmark, save_bookmark
from kollega.content.wikis.services import create_page, edit_page
from kollega.guard.classification import Level
from kollega.network.services import connect
from kollega.people.tests.factories import PASSWORD, signed_in
from kollega.posts.models import Post
from kollega.posts.services import post_on_board

pytestmark = pytest.mark.django_db


def _entries(action):
    return list(Entry.objects.filter(action=action).order_by("sequence"))


def _form_once(client, path="/") -> str:
    import re

    html = client.get(path).content.decode()
    form = re.search(r'<form method="post" action="/posts/new/".*?</form>', html, re.S).group(0)
    return re.search(r'name="form_once" value="([^"]+)"', form).group(1)


def test_a_post_from_the_composer_names_its_author_and_address(anna):
    client = signed_in(anna, REMOTE_ADDR="192.0.2.7")
    client.post(
        "/posts/new/",
        {"body": "Lunch at noon", "audience": "organisation", "form_once": _form_once(client)},
    )
    post = Post.objects.get()
    (entry,) = [e for e in _entries(Action.CREATED) if e.target_kind == "post"]
    assert (entry.actor_id, entry.actor_name) == (anna.pk, "Anna Lindqvist")
    assert entry.target_id == str(post.pk)
    assert entry.client_address == "192.0.2.7"


def test_the_text_itself_never_enters_the_trail(anna):
    post_on_board(anna, "Salary review: Bjørn gets 5 %")
    assert "Salary" not in str(list(Entry.objects.values()))


def test_a_post_deleted_from_its_page_is_recorded_with_who_deleted_it(anna):
    post = post_on_board(anna, "Wrong board, sorry")
    signed_in(anna).post(f"/posts/{post.pk}/delete/")
    (entry,) = _entries(Action.DELETED)
    assert (entry.target_kind, entry.target_id, entry.actor_id) == ("post", str(post.pk), anna.pk)


def test_a_bookmarks_new_audience_is_recorded_as_shared(anna):
    bookmark = save_bookmark(anna, "https://example.org/plan", "Plan", audience="private")
    edit_bookmark(anna, bookmark, url="https://example.org/plan", title="Plan")
    (entry,) = _entries(Action.SHARED)
    assert entry.target_kind == "bookmark"
    assert entry.detail == {"audience": ["private", "organisation"]}
    assert entry.actor_id == anna.pk  # no request: the author is the actor


def test_a_wiki_edit_is_recorded_as_changed_but_a_counter_moving_is_not(anna):
    page = create_page(anna, None, "Travel policy", "Book through the portal.")
    edit_page(anna, page, base_revision=1, body="Book through the portal, or call.")
    (entry,) = _entries(Action.CHANGED)
    assert (entry.target_kind, entry.target_label) == ("wiki_page", "Travel policy")
    assert entry.detail == {"fields": ["body"]}
    post = post_on_board(anna, "Anyone for coffee?")
    post.save()  # nothing a reader sees changed
    assert len(_entries(Action.CHANGED)) == 1


def test_joining_a_community_and_a_moderators_removal_are_recorded(anna, bjorn):
    community = create_community(anna, "Cyclists")
    join_community(bjorn, community)
    whats = [e.detail["what"] for e in _entries(Action.MEMBERSHIP)]
    assert whats == ["created", "joined"]
    post = post_on_board(bjorn, "Selling my bike", community=community, audience="community")
    post_id = post.pk
    remove_post(anna, post, "Not a market place")
    (entry,) = _entries(Action.MODERATION_REMOVED)
    assert (entry.actor_id, entry.target_kind, entry.target_id) == (anna.pk, "post", str(post_id))
    assert entry.detail["reason"] == "Not a market place"


def test_sign_in_failed_sign_in_and_sign_out_are_recorded(client, anna):
    client.post("/login/", {"username": "anna", "password": "wrong"}, REMOTE_ADDR="192.0.2.9")
    (failed,) = _entries(Action.SIGN_IN_FAILED)
    assert (failed.target_label, failed.client_address) == ("anna", "192.0.2.9")
    client.post("/login/", {"username": "anna", "password": PASSWORD})
    client.post("/logout/")
    assert [e.actor_id for e in _entries(Action.SIGN_IN)] == [anna.pk]
    assert [e.actor_id for e in _entries(Action.SIGN_OUT)] == [anna.pk]


def test_a_blocked_post_is_recorded_though_nothing_was_saved(anna):
    client = signed_in(anna)
    page = client.post(
        "/posts/new/",
        {
            "body": "Wifi: password=hunter2",
            "audience": "organisation",
            "form_once": _form_once(client),
        },
    )
    assert page.status_code == 400
    assert Post.objects.count() == 0
    (entry,) = _entries(Action.GUARD_BLOCK)
    assert entry.actor_id == anna.pk
    assert entry.detail == {"audience": "organisation", "kinds": ["secret"]}


def test_a_warning_overridden_with_a_reason_is_recorded_with_the_reason(anna):
    post_on_board(anna, "Ny anställd, pnr 811218-9876", audience="board", guard_override="HR")
    (entry,) = _entries(Action.GUARD_OVERRIDE)
    assert entry.detail == {"audience": "board", "kinds": ["personnummer"], "reason": "HR"}


def test_making_someone_staff_is_recorded(anna):
    user = get_user_model().objects.get(pk=anna.user_id)
    user.is_staff = True
    user.save()
    (entry,) = _entries(Action.ACCOUNT_CHANGED)
    assert entry.detail == {"is_staff": [False, True]}
    assert entry.target_kind == "person"


def _confidential_post(author, level=Level.CONFIDENTIAL):
    """A post to the author's network (as far as Confidential may go), raised to `level`."""
    post = post_on_board(author, "Q3 figures are in the usual folder", audience="network")
    Post.objects.filter(pk=post.pk).update(classification=level)
    return post


def test_opening_a_confidential_post_is_recorded_once_a_day(anna, bjorn):
    connect(anna, bjorn)
    post = _confidential_post(anna)
    client = signed_in(bjorn)
    assert client.get(f"/posts/{post.pk}/").status_code == 200
    assert client.get(f"/posts/{post.pk}/").status_code == 200
    (entry,) = _entries(Action.OPENED)
    assert (entry.actor_id, entry.target_kind, entry.target_id) == (bjorn.pk, "post", str(post.pk))
    assert entry.detail == {"classification": Level.CONFIDENTIAL}


def test_opening_an_internal_post_is_not_recorded(anna, bjorn):
    post = post_on_board(anna, "Cake in the kitchen")
    signed_in(bjorn).get(f"/posts/{post.pk}/")
    assert _entries(Action.OPENED) == []


def test_reading_a_strictly_confidential_post_through_the_api_is_recorded(anna, api_as):
    post = _confidential_post(anna, Level.STRICTLY_CONFIDENTIAL)
    assert api_as(anna).get(f"/posts/{post.pk}").status_code == 200
    (entry,) = _entries(Action.OPENED)
    assert entry.actor_id == anna.pk


def _run(*argv):
    """A `kollega` command as `kollega.cli.main` runs it, minus Django's closing of every
    connection at the end (which would end the test's PostgreSQL transaction)."""
    with operator_for(["kollega", *argv]):
        call_command(*argv)


def test_operator_commands_name_the_operator(anna, capsys):
    _run("token", "create", "anna", "--name", "backup script")
    (entry,) = _entries(Action.TOKEN_CREATED)
    assert entry.actor_id is None
    assert entry.actor_name.startswith("operator ") and "(kollega token)" in entry.actor_name
    assert entry.detail["name"] == "backup script"
    _run("people", "erase", "anna", "--yes")
    (erased,) = _entries(Action.PERSON_ERASED)
    assert (erased.target_id, erased.detail) == (str(anna.pk), {"username": "anna"})


def test_signing_in_is_not_taken_for_an_account_change(anna):
    get_user_model().objects.filter(pk=anna.user_id).update(is_staff=True)
    anna.user.refresh_from_db()  # the loaded account no longer says what it was loaded as
    signed_in(anna)  # saves only last_login
    assert _entries(Action.ACCOUNT_CHANGED) == []


def test_a_change_after_a_partial_save_of_the_same_account_is_still_seen(anna):
    user = get_user_model().objects.get(pk=anna.user_id)
    user.save(update_fields=["last_login"])
    user.is_active = False
    user.save()
    (entry,) = _entries(Action.ACCOUNT_CHANGED)
    assert entry.detail == {"is_active": [True, False]}


def test_once_a_command_is_over_writes_no_longer_name_its_operator(anna):
    _run("token", "list", "anna")
    save_bookmark(anna, "https://example.org/after", "After")
    (entry,) = [e for e in _entries(Action.CREATED) if e.target_kind == "bookmark"]
    assert (entry.actor_id, entry.actor_name) == (anna.pk, "Anna Lindqvist")
