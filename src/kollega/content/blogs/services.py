"""Blogs: writing, scheduling and publishing entries, and reading blogs.

Each function takes the acting person first, checks permission through
`permissions.blogs`, changes state in one transaction and notifies.

Publishing an entry posts it: `post_on_board` writes a post (on the author's
board, or in the community) whose text is the entry's opening, and the entry
keeps it in `BlogEntry.post`. From then on streams, comments,
recommendations, notifications and visibility are the post's. @mentions in
the rest of the entry are recorded on the same post, so everyone named is told.

For search and expertise, `entries_by(viewer, person)` lists the published
entries a person wrote (on their blog and in communities) that `viewer` may
see: the evidence "wrote about X".
"""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.communities.models import Community
from kollega.communities.services import visible_community
from kollega.content.blogs.models import BlogEntry, EntryStatus, transition
from kollega.content.blogs.searching import entry_published
from kollega.guard.classification import Level
from kollega.guard.services import screen
from kollega.limits import BLOG_BODY_MAX_CHARS, BLOG_ENTRY_MAX_TAGS, BLOG_TITLE_MAX_CHARS
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions import NotFound
from kollega.permissions.blogs import can_edit_entry, can_read_blog, can_write_on_blog
from kollega.permissions.classification import checked_level, parse_level
from kollega.permissions.posts import can_see_post
from kollega.permissions.public import may_write_publicly
from kollega.posts import services as posts
from kollega.posts.models import Audience, Mention, Post
from kollega.posts.services import checked_text, checked_title, render_with_mentions
from kollega.tags.services import get_or_create_tags, normalise_tag

logger = logging.getLogger(__name__)

EXCERPT_LENGTH = 500

# Audiences of an entry on a person's own blog; a community's entries are the community's.
# Public only for a person with public pages, and only for Open entries (`blog_audiences`).
BLOG_AUDIENCES = {
    Audience.ORGANISATION: gettext_lazy("The whole organisation"),
    Audience.NETWORK: gettext_lazy("My network"),
    Audience.PUBLIC: gettext_lazy("Public (anyone, without signing in)"),
}


def blog_audiences(author: Person) -> list[tuple[str, str]]:
    """The audiences `author` may choose for an entry on their own blog (the composer's)."""
    return [
        (value, label)
        for value, label in BLOG_AUDIENCES.items()
        if value != Audience.PUBLIC or may_write_publicly(author)
    ]


# --- checks ---------------------------------------------------------------------------------


def _checked_title(title: str) -> str:
    return checked_title(title, BLOG_TITLE_MAX_CHARS, _("Give the entry a title."))


def _checked_tags(tags, body: str) -> list[str]:
    """The given tags and the #tags of the text, normalised, without repeats."""
    from kollega import markup

    names = [normalise_tag(t) for t in tags if t and t.strip().lstrip("#")]
    _handles, in_text = markup.find_mentions_and_tags(body)
    names = list(dict.fromkeys([*names, *in_text]))
    if len(names) > BLOG_ENTRY_MAX_TAGS:
        raise ValidationError(
            _("At most %(n)d tags."), params={"n": BLOG_ENTRY_MAX_TAGS}, code="too_many_tags"
        )
    return names


def _checked_audience(audience: str, community: Community | None) -> str:
    if community is not None:
        return Audience.COMMUNITY
    if audience not in BLOG_AUDIENCES:
        raise ValidationError(_("Unknown audience."), code="bad_audience")
    return audience


def check_public(entry: BlogEntry) -> None:
    """A public entry must be its author's, who has public pages, and classified Open.

    Checked on every write and again when it is published (the schedule too), so an
    entry never reaches visitors without sign-in after the administrator took the
    author's public pages away or the entry was classified higher.
    """
    if entry.audience != Audience.PUBLIC:
        return
    if not may_write_publicly(entry.author):
        raise ValidationError(
            _(
                "Only colleagues whose public pages an administrator switched on may "
                "write for the public; choose another audience."
            ),
            code="public_not_allowed",
        )
    if entry.classification != Level.OPEN:
        raise ValidationError(
            _("Only Open entries may be public; classify it Open or choose another audience."),
            code="public_not_open",
        )


def checked_publish_at(publish_at: datetime, now: datetime | None = None) -> datetime:
    """A publishing time as kept (aware), or a ValidationError for a time not in the future.

    Used by the services and by the web form, so a past time is refused whichever button
    was pressed, never saved as a draft without a word.
    """
    now = now or timezone.now()
    if timezone.is_naive(publish_at):
        publish_at = timezone.make_aware(publish_at)
    if publish_at <= now:
        raise ValidationError(
            _("Choose a time in the future to publish, or publish now."), code="in_the_past"
        )
    return publish_at


def excerpt_of(body: str) -> str:
    """The opening of an entry for streams: its first paragraph, cut at a word."""
    first = body.strip().split("\n\n", 1)[0].strip()
    if len(first) <= EXCERPT_LENGTH:
        return first
    cut = first[:EXCERPT_LENGTH].rsplit(None, 1)[0]
    return cut + "…"


# --- writing --------------------------------------------------------------------------------


@transaction.atomic
def write_entry(
    author: Person,
    title: str,
    body: str,
    *,
    tags: list[str] | tuple = (),
    audience: str = Audience.ORGANISATION,
    community: Community | None = None,
    publish: bool = False,
    publish_at: datetime | None = None,
    now: datetime | None = None,
    guard_override: str | None = None,
    classification=None,
) -> BlogEntry:
    """Write an entry on one's own blog or a community's (members only).

    It is kept as a draft, scheduled for `publish_at`, or published at once
    (`publish`). Bad input (no title, an over-long text, a mention of nobody, a
    time in the past, a `classification` its audience may not carry, the public
    audience without public pages or for an entry not classified Open) is refused
    and nothing is saved.
    """
    if not can_write_on_blog(author, community):
        raise PermissionDenied(_("Only members may write on this community's blog."))
    now = now or timezone.now()
    entry = BlogEntry(author=author, community=community, created_at=now, updated_at=now)
    tag_names = _fill(entry, title, body, tags, audience, classification, new=True)
    screen(author, f"{entry.title}\n{entry.body}", entry.audience, guard_override)
    if publish_at is not None and not publish:
        entry.publish_at = checked_publish_at(publish_at, now)
        entry.status = EntryStatus.SCHEDULED
    entry.save()
    entry.tags.set(get_or_create_tags(tag_names) if tag_names else [])
    if publish:
        _publish(entry, now)
    return entry


def _fill(
    entry: BlogEntry, title: str, body: str, tags, audience: str, classification, new=False
) -> list[str]:
    """Check and set the written fields (not saved); returns the tag names.

    `classification` None keeps an entry's level (a new one gets its community's,
    else Internal); it must fit the audience, checked again when it is published.
    """
    entry.audience = _checked_audience(audience, entry.community)
    if entry.audience == Audience.PUBLIC:
        # Refused in the public's own words first: who may write for it, and Open only.
        if classification is not None:
            entry.classification = parse_level(classification)
        check_public(entry)
    entry.classification = checked_level(
        classification,
        entry.audience,
        entry.community,
        current=None if new else entry.classification,
    )
    entry.title = _checked_title(title)
    entry.body = checked_text(body, BLOG_BODY_MAX_CHARS)
    rendered, _people = render_with_mentions(entry.body)
    entry.body_html = rendered.html
    return _checked_tags(tags, entry.body)


@transaction.atomic
def edit_entry(
    person: Person,
    entry: BlogEntry,
    *,
    title: str,
    body: str,
    tags: list[str] | tuple = (),
    audience: str | None = None,
    now: datetime | None = None,
    guard_override: str | None = None,
    classification=None,
) -> BlogEntry:
    """The author changes an entry; a published one changes its post too.

    Colleagues newly @mentioned in a published entry are told.
    """
    if not can_edit_entry(person, entry):
        raise PermissionDenied(_("Only the author may change this entry."))
    now = now or timezone.now()
    tag_names = _fill(entry, title, body, tags, audience or entry.audience, classification)
    screen(person, f"{entry.title}\n{entry.body}", entry.audience, guard_override)
    entry.updated_at = now
    entry.save(
        update_fields=["title", "body", "body_html", "audience", "classification", "updated_at"]
    )
    tag_rows = get_or_create_tags(tag_names) if tag_names else []
    entry.tags.set(tag_rows)
    if entry.post_id:
        _update_post(entry, tag_rows, now)
    return entry


def _update_post(entry: BlogEntry, tag_rows, now: datetime) -> None:
    excerpt = excerpt_of(entry.body)
    rendered, _people = render_with_mentions(excerpt)
    post = Post.objects.get(pk=entry.post_id)
    post.body, post.body_html = excerpt, rendered.html
    post.audience, post.classification = entry.audience, entry.classification
    post.save(update_fields=["body", "body_html", "audience", "classification"])
    post.tags.set(tag_rows)  # the entry's tags include the #tags of its whole text
    _mention_everyone_named(entry, post, now)


def _mention_everyone_named(entry: BlogEntry, post: Post, now: datetime) -> None:
    """Record and notify the @mentions of the whole entry not yet on its post."""
    _rendered, people = render_with_mentions(entry.body)
    already = set(
        Mention.objects.filter(post=post, comment__isnull=True).values_list("person_id", flat=True)
    )
    new = [p for p in people if p.pk not in already]
    Mention.objects.bulk_create([Mention(person=p, post=post, created_at=now) for p in new])
    for person in new:
        if person.pk != entry.author_id and can_see_post(person, post):
            notify(person, Notification.Kind.MENTION, entry.author, post=post)


def _publish(entry: BlogEntry, now: datetime) -> None:
    """Post the entry (its opening, in its audience and classification) and mark it
    published, once."""
    check_public(entry)
    post = posts.post_on_board(
        entry.author,
        excerpt_of(entry.body),
        audience=entry.audience,
        community=entry.community,
        created_at=now,
        public_entry=entry.audience == Audience.PUBLIC,
        classification=entry.classification,
    )
    post.tags.add(*entry.tags.all())
    # Checked in the database, so the schedule and the author never publish it twice.
    transition(entry, "publish", post=post, published_at=now, publish_at=None, updated_at=now)
    entry_published(entry)
    _mention_everyone_named(entry, post, now)


@transaction.atomic
def publish_entry(person: Person, entry: BlogEntry, now: datetime | None = None) -> BlogEntry:
    """Publish a draft or scheduled entry now: it enters streams as a post."""
    if not can_edit_entry(person, entry):
        raise PermissionDenied(_("Only the author may publish this entry."))
    _publish(entry, now or timezone.now())
    return entry


@transaction.atomic
def schedule_entry(
    person: Person, entry: BlogEntry, publish_at: datetime, now: datetime | None = None
) -> BlogEntry:
    """Have a draft published at `publish_at` (in the future) by the periodic schedule."""
    if not can_edit_entry(person, entry):
        raise PermissionDenied(_("Only the author may schedule this entry."))
    when = checked_publish_at(publish_at, now or timezone.now())
    transition(entry, "schedule", publish_at=when)
    return entry


@transaction.atomic
def unschedule_entry(person: Person, entry: BlogEntry) -> BlogEntry:
    """Take a scheduled entry back to draft."""
    if not can_edit_entry(person, entry):
        raise PermissionDenied(_("Only the author may change this entry."))
    transition(entry, "unschedule", publish_at=None)
    return entry


@transaction.atomic
def revise_entry(
    person: Person,
    entry: BlogEntry,
    *,
    title: str,
    body: str,
    tags: list[str] | tuple = (),
    audience: str | None = None,
    action: str = "save",
    publish_at: datetime | None = None,
    now: datetime | None = None,
    guard_override: str | None = None,
    classification=None,
) -> BlogEntry:
    """Edit an entry and, in the same transaction, keep it as a draft (`draft`), schedule it
    (`schedule`, at `publish_at`), publish it (`publish`) or just save it (`save`).

    The edit form's one call: a refused step (a time in the past) leaves the entry as it was.
    """
    now = now or timezone.now()
    edit_entry(
        person,
        entry,
        title=title,
        body=body,
        tags=tags,
        audience=audience,
        now=now,
        guard_override=guard_override,
        classification=classification,
    )
    if action == "publish" and not entry.is_published:
        publish_entry(person, entry, now)
    elif action == "schedule" and not entry.is_published:
        if publish_at is None:
            raise ValidationError(_("Choose when to publish it."), code="no_time")
        schedule_entry(person, entry, publish_at, now)
    elif action == "draft" and entry.status == EntryStatus.SCHEDULED:
        unschedule_entry(person, entry)
    return entry


@transaction.atomic
def delete_entry(person: Person, entry: BlogEntry) -> None:
    """The author removes an entry, and with it its post and comments."""
    if entry.author_id != person.pk:
        raise PermissionDenied(_("Only the author may delete this entry."))
    if entry.post_id:
        Post.objects.filter(pk=entry.post_id).delete()  # cascades to the entry
    else:
        entry.delete()


def publish_due_entries(now: datetime | None = None) -> list[BlogEntry]:
    """Publish every scheduled entry whose time has come; returns those published.

    Run by the periodic schedule (`blogs.tasks.publish_scheduled_entries`). Each
    entry is published in its own transaction; one whose author may no longer
    publish it (they left, or left the community) goes back to draft, so it is
    neither lost nor retried for ever.
    """
    now = now or timezone.now()
    due = (
        BlogEntry.objects.filter(status=EntryStatus.SCHEDULED, publish_at__lte=now)
        .select_related("author__user", "community")
        .order_by("publish_at", "pk")
    )
    published = []
    for entry in due:
        try:
            with transaction.atomic():
                if not can_edit_entry(entry.author, entry):
                    raise PermissionDenied("the author may no longer publish it")
                _publish(entry, now)
        except (ValidationError, PermissionDenied) as error:
            logger.warning("Scheduled blog entry %s not published: %s", entry.pk, error)
            BlogEntry.objects.filter(pk=entry.pk, status=EntryStatus.SCHEDULED).update(
                status=EntryStatus.DRAFT, publish_at=None
            )
            continue
        published.append(entry)
    return published


# --- reading --------------------------------------------------------------------------------
#
# The one way pages, the API and the feeds reach an entry or a blog: these return it or raise
# `NotFound` (a 404, like a thing that does not exist); the write variants raise
# PermissionDenied for what one may see but not change.


def visible_entry(viewer: Person, entry_id: int) -> BlogEntry:
    """The entry with this id if `viewer` may see it (a draft: its author only), else NotFound."""
    entry = BlogEntry.objects.visible_to(viewer).for_display().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound
    return entry


def editable_entry(person: Person, entry_id: int) -> BlogEntry:
    """The entry if `person` may change it; NotFound if they may not see it, PermissionDenied
    if they may see it but it is not theirs to change."""
    entry = visible_entry(person, entry_id)
    if not can_edit_entry(person, entry):
        raise PermissionDenied(_("Only the author may change this entry."))
    return entry


def readable_blog(viewer: Person, slug: str) -> Community:
    """The community whose blog `viewer` may read, by slug, else NotFound."""
    community = visible_community(viewer, slug)
    if community is None or not can_read_blog(viewer, community):
        raise NotFound
    return community


def writable_blog(person: Person, slug: str = "") -> Community | None:
    """The blog `person` writes on: their own (no slug, None) or a community's they may read
    (NotFound otherwise) and write on, as a member (PermissionDenied otherwise)."""
    community = readable_blog(person, slug) if slug else None
    if not can_write_on_blog(person, community):
        raise PermissionDenied(_("Only members may write on this community's blog."))
    return community


def blog_entries(viewer: Person, *, author: Person | None = None, community=None):
    """The published entries of a person's blog or a community's that `viewer` may see."""
    entries = BlogEntry.objects.visible_to(viewer).published().for_display()
    if community is not None:
        entries = entries.of_community(community)
    else:
        entries = entries.of_person(author)
    return entries.newest_first()


def newest_entries(viewer: Person):
    """The newest published entries of every blog `viewer` may read."""
    return BlogEntry.objects.visible_to(viewer).published().for_display().newest_first()


def my_drafts(person: Person):
    """`person`'s own drafts and scheduled entries on every blog, last changed first."""
    return (
        BlogEntry.objects.filter(author=person)
        .exclude(status=EntryStatus.PUBLISHED)
        .for_display()
        .order_by("-updated_at", "-id")
    )


def unpublished_entries(person: Person, community=None):
    """`person`'s own drafts and scheduled entries on their blog or a community's."""
    if community is not None:
        return my_drafts(person).filter(community=community)
    return my_drafts(person).filter(community__isnull=True)


def entries_by(viewer: Person, person: Person):
    """Every published entry `person` wrote (own blog and communities) that `viewer` may see.

    The evidence search and expertise read: newest first, with tags prefetched.
    """
    return (
        BlogEntry.objects.visible_to(viewer)
        .published()
        .filter(author=person)
        .for_display()
        .newest_first()
    )
