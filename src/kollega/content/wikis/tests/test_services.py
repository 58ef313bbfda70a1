"""Wiki services: pages, history, diffs, restoring, links, the tree, images, watching,
and edits that cross — called as the product calls them, on the real database."""

import io
import json
import subprocess
import sys
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kollega.communities import services as communities
from kollega.content.wikis import attachments, diffs, services
from kollega.content.wikis.models import Attachment, Page, Revision
from kollega.notifications.models import Notification
from kollega.notifications.services import notifications_for

pytestmark = pytest.mark.django_db

POLICY = "Be kind.\nBe clear.\nAsk before posting photos of colleagues.\n"


def png(width=4, height=3, fmt="PNG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, fmt)
    return SimpleUploadedFile("chart.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def page(anna):
    return services.create_page(anna, None, "Social media policy", POLICY)


# --- history, diff, restore ----------------------------------------------------------------


def test_every_save_is_a_revision_with_author_time_and_summary(page, anna, bjorn):
    services.edit_page(
        bjorn, page, base_revision=1, body=POLICY + "Never share customer data.\n", summary="data"
    )
    revisions = list(page.revisions.order_by("number"))
    assert [(r.number, r.author, r.summary) for r in revisions] == [
        (1, anna, "Page created"),
        (2, bjorn, "data"),
    ]
    page.refresh_from_db()
    assert page.current_revision == revisions[1]
    assert page.body.endswith("Never share customer data.\n")
    assert revisions[0].body == POLICY


def test_saving_the_same_text_adds_no_revision(page, bjorn):
    services.edit_page(bjorn, page, base_revision=1, body=POLICY)
    assert page.revisions.count() == 1


def test_the_diff_between_two_revisions_marks_added_and_removed_lines(page, bjorn):
    new = POLICY.replace("Be clear.", "Be brief and clear.")
    services.edit_page(bjorn, page, base_revision=1, body=new)
    comparison = services.compare(page, 1, 2)
    changed = [(line.kind, line.text) for line in comparison["lines"] if line.kind != "equal"]
    assert changed == [("delete", "Be clear."), ("insert", "Be brief and clear.")]
    assert (comparison["added"], comparison["removed"]) == (1, 1)


def test_the_diff_leaves_out_long_runs_of_unchanged_lines():
    old = "\n".join(f"line {n}" for n in range(40))
    new = old.replace("line 20", "line twenty")
    lines = diffs.diff_lines(old, new)
    assert [line.kind for line in lines].count("skip") == 2
    assert len(lines) < 12


def test_restoring_an_old_revision_adds_a_new_revision_with_its_text(page, anna, bjorn):
    services.edit_page(bjorn, page, base_revision=1, title="Policy", body="Vandalised.")
    restored = services.restore_revision(anna, page.revisions.get(number=1))
    page.refresh_from_db()
    assert restored.number == 3 and restored.restored_from.number == 1
    assert (page.title, page.body) == ("Social media policy", POLICY)
    assert page.revisions.get(number=2).body == "Vandalised."  # nothing is lost


# --- links and the tree --------------------------------------------------------------------


def test_links_go_to_existing_pages_and_missing_ones_offer_to_create(page, anna):
    other = services.create_page(
        anna, None, "Photos", "See [[social media policy]] and [[Press contacts|the press]]."
    )
    html = services.render_body(anna, None, other.body, page=other)
    assert f'<a class="wiki-link" href="{page.get_absolute_url()}">social media policy</a>' in html
    assert 'class="wiki-link missing"' in html
    assert f"/wiki/new/?parent={other.pk}&amp;title=Press+contacts" in html
    assert ">the press</a>" in html


def test_links_in_code_and_markup_in_link_names_stay_harmless(anna):
    text = "`[[Not a link]]` and [[<script>alert(1)</script>]]"
    html = services.render_body(anna, None, text)
    assert "<code>[[Not a link]]</code>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_pages_form_a_tree(page, anna):
    child = services.create_page(anna, None, "Photos", parent=page)
    grandchild = services.create_page(anna, None, "Consent forms", parent=child)
    tree = [(p.title, depth) for p, depth in services.page_tree(None)]
    assert tree == [("Social media policy", 0), ("Photos", 1), ("Consent forms", 2)]
    assert services.ancestors(grandchild) == [page, child]


def test_a_page_cannot_go_under_its_own_subpage(page, anna):
    child = services.create_page(anna, None, "Photos", parent=page)
    with pytest.raises(ValidationError, match="under itself or one of its own subpages"):
        services.edit_page(anna, page, base_revision=1, parent=child)
    with pytest.raises(ValidationError, match="under itself"):
        services.edit_page(anna, page, base_revision=1, parent=page)
    page.refresh_from_db()
    assert page.parent is None and page.revisions.count() == 1


def test_a_rename_onto_an_existing_title_is_refused(page, anna):
    other = services.create_page(anna, None, "Photos")
    with pytest.raises(ValidationError, match="already a page called “SOCIAL MEDIA POLICY”"):
        services.edit_page(anna, other, base_revision=1, title="SOCIAL MEDIA POLICY")
    other.refresh_from_db()
    assert other.title == "Photos" and other.revisions.count() == 1


def test_the_same_title_may_live_in_two_wikis(page, anna):
    community = communities.create_community(anna, "Comms", "", [], "open")
    copy = services.create_page(anna, community, "Social media policy")
    assert copy.slug == page.slug and copy.community == community


def test_bad_input_is_refused_and_nothing_is_saved(page, anna):
    with pytest.raises(ValidationError, match="at most 500 KB"):
        services.edit_page(anna, page, base_revision=1, body="x" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="needs a title"):
        services.create_page(anna, None, "   ", "Text")
    with pytest.raises(ValidationError, match="at most 500 KB"):
        services.create_page(anna, None, "Huge", "é" * 300_000)
    assert Page.objects.count() == 1 and Revision.objects.count() == 1


# --- images --------------------------------------------------------------------------------


def test_an_image_is_attached_and_stored_under_a_random_name(page, anna, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = attachments.attach_image(anna, page, png(40, 30))
    assert (attachment.name, attachment.width, attachment.height) == ("chart.png", 40, 30)
    assert attachment.content_type == "image/png"
    assert attachment.image.name.startswith("wiki-attachments/")
    assert "chart" not in attachment.image.name
    assert (tmp_path / attachment.image.name).exists()


def test_a_file_that_is_not_an_image_is_refused(page, anna, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("cat.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match="not an image"):
        attachments.attach_image(anna, page, fake)
    assert not Attachment.objects.exists()
    assert not (tmp_path / "wiki-attachments").exists()


def test_a_too_large_image_is_refused(page, anna, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("big.png", b"\0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="at most 5 MB"):
        attachments.attach_image(anna, page, big)
    assert not Attachment.objects.exists()


# --- watching ------------------------------------------------------------------------------


def test_watchers_hear_of_changes_by_others_and_editors_start_watching(page, anna, bjorn, carla):
    services.watch_page(carla, page)
    services.edit_page(bjorn, page, base_revision=1, body="Shorter.")
    told = Notification.objects.filter(kind=Notification.Kind.WIKI_PAGE_CHANGED)
    assert sorted(n.recipient.handle for n in told) == ["anna", "carla"]  # the author watches
    assert all(n.actor == bjorn and n.wiki_page == page for n in told)
    services.unwatch_page(carla, page)
    services.edit_page(anna, page, base_revision=2, body="Shorter still.")
    # Bjørn watches since his edit; Carla stopped; Anna is not told of her own edit.
    assert [n.recipient.handle for n in told.filter(actor=anna)] == ["bjorn"]


def test_a_removed_member_stops_hearing_of_a_restricted_page(anna, bjorn):
    community = communities.create_community(anna, "Board room", "", [], "restricted")
    invitation = communities.invite_to_community(anna, community, bjorn)
    communities.accept_community_invitation(bjorn, invitation)
    page = services.create_page(bjorn, community, "Budget", "Draft")
    services.edit_page(anna, page, base_revision=1, body="Draft 2")
    assert notifications_for(bjorn).filter(wiki_page=page).count() == 1
    communities.remove_member(anna, community, bjorn)
    assert not notifications_for(bjorn).filter(wiki_page=page).exists()
    services.edit_page(anna, page, base_revision=2, body="Draft 3")
    assert Notification.objects.filter(recipient=bjorn, wiki_page=page).count() == 1


# --- permissions ---------------------------------------------------------------------------


def test_only_members_edit_a_community_wiki(anna, bjorn):
    community = communities.create_community(anna, "Comms", "", [], "open")
    page = services.create_page(anna, community, "Tone of voice")
    with pytest.raises(PermissionDenied):
        services.create_page(bjorn, community, "Mine")
    with pytest.raises(PermissionDenied):
        services.edit_page(bjorn, page, base_revision=1, body="Changed")
    with pytest.raises(PermissionDenied):
        attachments.attach_image(bjorn, page, png())
    communities.join_community(bjorn, community)
    services.edit_page(bjorn, page, base_revision=1, body="Changed")


def test_edits_by_lists_a_persons_revisions_the_viewer_may_read(page, anna, bjorn, carla):
    services.edit_page(bjorn, page, base_revision=1, body="One")
    secret = communities.create_community(bjorn, "Secret", "", [], "restricted")
    services.create_page(bjorn, secret, "Plans")
    assert [r.page.title for r in services.edits_by(bjorn)] == ["Plans", "Social media policy"]
    assert [r.page.title for r in services.edits_by(bjorn, carla)] == ["Social media policy"]


# --- edits that cross ----------------------------------------------------------------------


def test_an_edit_from_an_old_revision_is_refused_with_both_versions(page, anna, bjorn):
    services.edit_page(anna, page, base_revision=1, body=POLICY.replace("Be kind.", "Be kind!"))
    mine = POLICY + "Link to sources.\n"
    with pytest.raises(services.EditConflict) as caught:
        services.edit_page(bjorn, page, base_revision=1, body=mine)
    conflict = caught.value
    assert conflict.theirs.number == 2 and conflict.base.number == 1
    assert conflict.mine_body == mine
    assert conflict.merge.conflicts == 0
    assert conflict.merge.text == POLICY.replace("Be kind.", "Be kind!") + "Link to sources.\n"
    assert page.revisions.count() == 2


def test_the_merge_marks_lines_both_changed():
    merge = diffs.merge_texts("a\nb\nc", "a\nB mine\nc", "a\nB theirs\nc", "revision 2")
    assert merge.conflicts == 1
    assert merge.text == "a\n<<<<<<< yours\nB mine\n=======\nB theirs\n>>>>>>> revision 2\nc"
    assert diffs.has_conflict_markers(merge.text)


def test_a_text_with_conflict_markers_is_not_saved(page, anna):
    merged = diffs.merge_texts("a", "b", "c").text
    with pytest.raises(ValidationError, match="marked conflict"):
        services.edit_page(anna, page, base_revision=1, body=merged)


def _takes_the_lock(sql: str) -> bool:
    """The statement of a page save that takes the write lock: SQLite's BEGIN IMMEDIATE
    (the settings' transaction mode), PostgreSQL's SELECT … FOR UPDATE of the page."""
    return sql.startswith("BEGIN IMMEDIATE") or sql.rstrip().endswith("FOR UPDATE")


def two_edits_at_once() -> dict:
    """Run in a `kollega` process over the product's own database (see the test below).

    Anna's save takes the write lock and keeps it until Bjørn's save, started from the
    same revision, is about to ask for it; then hers goes on. His request waits for her
    commit only through the product's settings (SQLite's busy timeout on the WAL file,
    PostgreSQL's row lock): nothing here retries. He is refused with a merge, saves it,
    and the page's text and revisions are returned."""
    from django.core.management import call_command
    from django.db import connection

    from kollega.people.tests.factories import make_person

    call_command("migrate", verbosity=0, interactive=False)
    anna, bjorn = make_person("Anna Lindqvist", "anna"), make_person("Bjørn Hansen", "bjorn")
    page = services.create_page(anna, None, "Social media policy", POLICY)
    texts = {anna: "Welcome.\n" + POLICY, bjorn: POLICY + "Questions go to the comms team.\n"}
    anna_holds_the_lock, bjorn_asks_for_it = threading.Event(), threading.Event()
    outcome: dict = {}

    def anna_keeps_the_lock(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if _takes_the_lock(sql) and not anna_holds_the_lock.is_set():
            anna_holds_the_lock.set()
            assert bjorn_asks_for_it.wait(timeout=60), "Bjørn's save never came"
        return result

    def bjorn_asks(execute, sql, params, many, context):
        if _takes_the_lock(sql):
            bjorn_asks_for_it.set()
        return execute(sql, params, many, context)

    def edit(person, wrapper, start):
        try:
            assert start.wait(timeout=60), "Anna's save never took the lock"
            current = Page.objects.get(pk=page.pk)
            with connection.execute_wrapper(wrapper):
                services.edit_page(person, current, base_revision=1, body=texts[person])
            outcome[person.handle] = "saved"
        except services.EditConflict as conflict:
            outcome[person.handle] = "refused"
            services.edit_page(
                person, Page.objects.get(pk=page.pk), base_revision=2, body=conflict.merge.text
            )
        except BaseException as error:  # reported below
            outcome[person.handle] = repr(error)
        finally:
            connection.close()  # this thread's own connection

    started = threading.Event()
    started.set()
    threads = [
        threading.Thread(target=edit, args=(anna, anna_keeps_the_lock, started)),
        threading.Thread(target=edit, args=(bjorn, bjorn_asks, anna_holds_the_lock)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return {
        "outcome": outcome,
        "body": Page.objects.get(pk=page.pk).body,
        "revisions": Revision.objects.filter(page=page).count(),
        "vendor": connection.vendor,
    }


RUN_TWO_EDITS = """
import json, django
django.setup()
from kollega.content.wikis.tests.test_services import two_edits_at_once
print(json.dumps(two_edits_at_once()))
"""


def test_two_people_editing_at_once_lose_nothing(server_database):
    """Two threads, two database connections to the product's database (a WAL file with
    the settings' busy timeout, or PostgreSQL), both saving from revision 1 while the
    first holds the lock: the second waits, is refused with a merge, and saves it; both
    texts end up in the page."""
    result = subprocess.run(
        [sys.executable, "-c", RUN_TWO_EDITS],
        env=server_database.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    edits = json.loads(result.stdout.strip().splitlines()[-1])
    assert edits["vendor"] == ("postgresql" if server_database.url else "sqlite")
    assert edits["outcome"] == {"anna": "saved", "bjorn": "refused"}
    assert edits["body"] == "Welcome.\n" + POLICY + "Questions go to the comms team.\n"
    assert edits["revisions"] == 3
