from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.content.blogs import services
from kollega.content.blogs.models import BlogEntry, EntryStatus
from kollega.limits import BLOG_BODY_MAX_CHARS
from kollega.network.services import connect
from kollega.notifications.models import Notification
from kollega.permissions import NotFound
from kollega.posts.models import Audience, Mention, Post
from kollega.posts.services import comment_on_post
from kollega.posts.stream import home_stream

pytestmark = pytest.mark.django_db


def test_a_draft_is_seen_by_its_author_only_and_is_in_no_stream(anna, bjorn):
    entry = services.write_entry(anna, "Project diary, week 1", "We started the *pilot*.")
    assert entry.status == EntryStatus.DRAFT and entry.post is None
    assert services.visible_entry(anna, entry.pk) == entry
    with pytest.raises(NotFound):
        services.visible_entry(bjorn, entry.pk)
    assert not Post.objects.exists()
    assert list(services.blog_entries(bjorn, author=anna)) == []
    assert list(services.unpublished_entries(anna)) == [entry]


def test_publishing_posts_the_opening_and_the_entry_reaches_streams(anna, bjorn):
    body = "We started the pilot in Malmö.\n\nSecond paragraph with details. #pilot"
    entry = services.write_entry(anna, "Week 1", body, tags=["Projects"])
    services.publish_entry(anna, entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.published_at is not None
    post = entry.post
    assert post.body == "We started the pilot in Malmö."
    assert post.board_owner == anna and post.audience == Audience.ORGANISATION
    assert {t.name for t in post.tags.all()} == {"projects", "pilot"}
    assert post.pk in [p.pk for p in home_stream(bjorn).posts]
    assert list(services.blog_entries(bjorn, author=anna)) == [entry]
    assert list(services.entries_by(bjorn, anna)) == [entry]
    assert "<em>" not in entry.body_html and "<p>We started" in entry.body_html


def test_comments_on_the_entry_are_comments_on_its_post(anna, bjorn):
    entry = services.write_entry(anna, "Week 2", "Still going.", publish=True)
    comment_on_post(bjorn, entry.post, "Keep it up!")
    assert Post.objects.get(pk=entry.post_id).comment_count == 1
    assert Notification.objects.filter(recipient=anna, kind=Notification.Kind.COMMENT).exists()


def test_a_mention_after_the_opening_is_recorded_and_notified(anna, bjorn, carla):
    body = "Opening words.\n\nThanks to @bjorn for the help."
    entry = services.write_entry(anna, "Thanks", body, publish=True)
    assert Mention.objects.filter(post=entry.post, person=bjorn).exists()
    assert Notification.objects.filter(
        recipient=bjorn, kind=Notification.Kind.MENTION, post=entry.post
    ).exists()
    services.edit_entry(anna, entry, title="Thanks", body=body + " And @carla.")
    assert Notification.objects.filter(recipient=carla, kind=Notification.Kind.MENTION).exists()
    assert Notification.objects.filter(recipient=bjorn, kind=Notification.Kind.MENTION).count() == 1


def test_a_network_entry_is_seen_by_contacts_only(anna, bjorn, carla):
    connect(anna, bjorn)
    entry = services.write_entry(anna, "For my network", "Hello.", audience="network", publish=True)
    assert services.visible_entry(bjorn, entry.pk)
    with pytest.raises(NotFound):
        services.visible_entry(carla, entry.pk)


def test_editing_a_published_entry_changes_its_post(anna):
    entry = services.write_entry(anna, "Old", "Old opening.", publish=True)
    services.edit_entry(anna, entry, title="New", body="New opening.\n\nMore.", tags=["x"])
    post = Post.objects.get(pk=entry.post_id)
    assert post.body == "New opening." and [t.name for t in post.tags.all()] == ["x"]


def test_only_the_author_edits_publishes_or_deletes(anna, bjorn):
    entry = services.write_entry(anna, "Mine", "Text.")
    with pytest.raises(PermissionDenied):
        services.edit_entry(bjorn, entry, title="Hijacked", body="Text.")
    with pytest.raises(PermissionDenied):
        services.publish_entry(bjorn, entry)
    with pytest.raises(PermissionDenied):
        services.delete_entry(bjorn, entry)
    services.delete_entry(anna, entry)
    assert not BlogEntry.objects.exists()


def test_deleting_a_published_entry_removes_its_post(anna):
    entry = services.write_entry(anna, "Gone", "Soon.", publish=True)
    services.delete_entry(anna, entry)
    assert not BlogEntry.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(
    "title, body, message",
    [
        ("", "Text", "Give the entry a title."),
        ("x" * 201, "Text", "The title is too long"),
        ("Title", "   ", "Write something first."),
        ("Title", "x" * (BLOG_BODY_MAX_CHARS + 1), "Too long"),
        ("Title", "Ask @nobody-here", "Nobody here is called @nobody-here"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(anna, title, body, message):
    with pytest.raises(ValidationError) as error:
        services.write_entry(anna, title, body, publish=True)
    assert message in " ".join(error.value.messages)
    assert not BlogEntry.objects.exists() and not Post.objects.exists()


def test_scheduling_in_the_past_is_refused(anna):
    past = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationError, match="in the future"):
        services.write_entry(anna, "Late", "Text.", publish_at=past)
    entry = services.write_entry(anna, "Draft", "Text.")
    with pytest.raises(ValidationError, match="in the future"):
        services.schedule_entry(anna, entry, past)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and not BlogEntry.objects.exclude(pk=entry.pk).exists()


def test_publish_due_entries_publishes_what_is_due_and_nothing_else(anna, bjorn):
    now = timezone.now()
    soon = services.write_entry(anna, "Soon", "Due.", publish_at=now + timedelta(hours=1))
    later = services.write_entry(anna, "Later", "Not yet.", publish_at=now + timedelta(days=2))
    with pytest.raises(NotFound):
        services.visible_entry(bjorn, soon.pk)
    assert services.publish_due_entries(now + timedelta(minutes=30)) == []
    published = services.publish_due_entries(now + timedelta(hours=2))
    assert [e.pk for e in published] == [soon.pk]
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.status == EntryStatus.PUBLISHED and soon.post is not None
    assert later.status == EntryStatus.SCHEDULED and later.post is None
    assert services.visible_entry(bjorn, soon.pk)
    # Run again: nothing is published twice.
    assert services.publish_due_entries(now + timedelta(hours=3)) == []
    assert Post.objects.count() == 1


def test_a_published_entry_cannot_be_published_again(anna):
    entry = services.write_entry(anna, "Once", "Text.", publish=True)
    with pytest.raises(ValidationError, match="published"):
        services.publish_entry(anna, entry)
    assert Post.objects.count() == 1


def test_an_unschedule_takes_it_back_to_draft(anna):
    entry = services.write_entry(
        anna, "Maybe", "Text.", publish_at=timezone.now() + timedelta(hours=1)
    )
    services.unschedule_entry(anna, entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and entry.publish_at is None


def test_a_due_entry_whose_author_left_the_community_goes_back_to_draft(anna, bjorn):
    club = communities.create_community(bjorn, "Book club")
    communities.join_community(anna, club)
    entry = services.write_entry(
        anna, "Review", "Good book.", community=club, publish_at=timezone.now() + timedelta(hours=1)
    )
    communities.leave_community(anna, club)
    assert services.publish_due_entries(timezone.now() + timedelta(hours=2)) == []
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and not Post.objects.exists()


def test_community_blog_members_write_and_restricted_entries_stay_inside(anna, bjorn, carla):
    club = communities.create_community(bjorn, "Secret club", kind=Community.Kind.RESTRICTED)
    with pytest.raises(PermissionDenied):
        services.write_entry(anna, "Outsider", "Text.", community=club)
    communities.invite_to_community(bjorn, club, anna)
    invitation = club.invitations.get(person=anna)
    communities.accept_community_invitation(anna, invitation)
    draft = services.write_entry(anna, "Members only", "Text.", community=club)
    with pytest.raises(NotFound):  # a draft: the author only
        services.visible_entry(bjorn, draft.pk)
    services.publish_entry(anna, draft)
    draft.refresh_from_db()
    assert draft.post.community == club and draft.post.audience == Audience.COMMUNITY
    assert services.visible_entry(bjorn, draft.pk)
    with pytest.raises(NotFound):
        services.visible_entry(carla, draft.pk)
    assert list(services.blog_entries(bjorn, community=club)) == [draft]
    assert list(services.blog_entries(carla, community=club)) == []
    assert list(services.entries_by(carla, anna)) == []
