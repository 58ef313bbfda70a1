"""The home stream: newest activity first, with filters and cursor pagination.

A comment moves its thread's `last_activity_at` forward, so live threads
float up and dead ones sink (content Darwinism). The cursor is the
(last_activity_at, id) of the last item shown, so pages never skip or repeat
when new activity arrives.
"""

import base64
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.communities.models import CommunityFollow
from kollega.network.models import Contact, PersonFollow, TagFollow
from kollega.people.models import Person
from kollega.posts.models import Comment, Mention, Post

FILTERS = {
    "all": gettext_lazy("Everything"),
    "network": gettext_lazy("My network"),
    "following": gettext_lazy("Following"),
    "mentions": gettext_lazy("Mentions of me"),
    "communities": gettext_lazy("My communities"),
}


@dataclass
class StreamPage:
    posts: list[Post]
    next_cursor: str | None


def encode_cursor(post: Post) -> str:
    """An opaque cursor pointing just after `post`."""
    raw = f"{post.last_activity_at.isoformat()}|{post.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Read a cursor back; a damaged one is a clear error."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        when, pk = datetime.fromisoformat(stamp), int(pk)
        if when.tzinfo is None or not 0 < pk < 2**63:
            raise ValueError("not a cursor this stream made")
        return when, pk
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("This page link is damaged; start from the top."), code="cursor"
        ) from error


def stream_filter(person: Person, name: str) -> Q:
    """The extra condition each stream filter adds to 'everything I may see'."""
    if name == "all":
        return Q()
    if name == "network":
        contacts = Contact.objects.filter(person=person).values("contact_id")
        return Q(author__in=contacts) | Q(author=person)
    if name == "following":
        people = PersonFollow.objects.filter(follower=person).values("followed_id")
        tagged = Post.tags.through.objects.filter(
            tag__in=TagFollow.objects.filter(follower=person).values("tag_id")
        ).values("post_id")
        return Q(author__in=people) | Q(pk__in=tagged)
    if name == "mentions":
        return Q(pk__in=Mention.objects.filter(person=person).values("post_id"))
    if name == "communities":
        # Members follow their communities automatically; anyone may follow a public one.
        return Q(community__in=CommunityFollow.objects.filter(person=person).values("community_id"))
    raise ValidationError(_("Unknown stream filter “%(name)s”."), params={"name": name})


def stream_posts(person: Person, name: str = "all"):
    """Every post in `person`'s stream under filter `name`, newest activity first."""
    return (
        Post.objects.visible_to(person).filter(stream_filter(person, name)).newest_activity_first()
    )


def home_stream(
    person: Person, name: str = "all", cursor: str | None = None, limit: int | None = None
) -> StreamPage:
    """One page of the home stream, with the latest comments of each post."""
    return stream_page(stream_posts(person, name), cursor, limit)


def stream_page(posts, cursor: str | None = None, limit: int | None = None) -> StreamPage:
    """One page of `posts` (already visible-filtered and newest activity first) after
    `cursor`, with the latest comments of each post; shared by every stream."""
    limit = limit or settings.KOLLEGA_STREAM_PAGE_SIZE
    if cursor:
        stamp, pk = decode_cursor(cursor)
        posts = posts.filter(Q(last_activity_at__lt=stamp) | Q(last_activity_at=stamp, pk__lt=pk))
    page = list(
        posts.for_display().prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author__user").order_by("created_at"),
            )
        )[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    return StreamPage(posts=page, next_cursor=encode_cursor(page[-1]) if more and page else None)


def newer_count(person: Person, name: str, since: str) -> int:
    """How many threads had activity after the top of the stream the person is looking at."""
    stamp, pk = decode_cursor(since)
    return (
        stream_posts(person, name)
        .filter(Q(last_activity_at__gt=stamp) | Q(last_activity_at=stamp, pk__gt=pk))[:100]
        .count()
    )
