"""The home stream: newest activity first, with filters and cursor pagination.

A comment moves its thread's `last_activity_at` forward, so live threads
float up and dead ones sink (content Darwinism). The cursor is the
(last_activity_at, id) of the last item shown, so pages never skip or repeat
when new activity arrives.
"""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.communities.models import CommunityFollow
from kollega.limits import STREAM_PAGE_ITEMS
from kollega.network.models import Contact, PersonFollow, TagFollow
from kollega.people.models import Person
from kollega.permissions.posts import visible_filter
from kollega.posts.models import Mention, Post, PostTag

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
        # A time no database can hold (year 1 east of UTC, 9999 west of it) overflows here.
        return when.astimezone(UTC), pk
    except (ValueError, UnicodeDecodeError, OverflowError) as error:
        raise ValidationError(
            _("This page link is damaged; start from the top."), code="cursor"
        ) from error


def stream_filter(person: Person, name: str, since: datetime | None = None) -> Q:
    """The extra condition each stream filter adds to 'everything I may see'.

    With `since`, only posts with activity from then on need to match (the tag
    links of "following" are then read from their (tag, activity) index).
    """
    if name == "all":
        return Q()
    if name == "network":
        contacts = Contact.objects.filter(person=person).values("contact_id")
        return Q(author__in=contacts) | Q(author=person)
    if name == "following":
        people = PersonFollow.objects.filter(follower=person).values("followed_id")
        links = PostTag.objects.filter(
            tag__in=TagFollow.objects.filter(follower=person).values("tag_id")
        )
        if since is not None:
            links = links.filter(last_activity_at__gte=since)
        return Q(author__in=people) | Q(pk__in=links.values("post_id"))
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
    person: Person,
    name: str = "all",
    cursor: str | None = None,
    limit: int | None = None,
    *,
    comments: bool = True,
) -> StreamPage:
    """One page of the home stream, with each post's comments unless `comments` is False."""
    if name == "following":
        return following_page(person, cursor, limit, comments=comments)
    return stream_page(stream_posts(person, name), cursor, limit, comments=comments)


def _after(cursor: str | None, prefix: str = "", pk: str = "pk") -> Q:
    """The condition 'older than the cursor' in (activity, id) order.

    The plain `<=` bound is implied by the rest but lets the database start its
    walk of an activity index at the cursor instead of at the newest post.
    """
    if not cursor:
        return Q()
    stamp, last = decode_cursor(cursor)
    at = f"{prefix}last_activity_at"
    return Q(**{f"{at}__lte": stamp}) & (
        Q(**{f"{at}__lt": stamp}) | Q(**{at: stamp, f"{pk}__lt": last})
    )


def _for_display(posts, comments: bool):
    posts = posts.for_display()
    return posts.with_comments() if comments else posts


def stream_page(
    posts, cursor: str | None = None, limit: int | None = None, *, comments: bool = True
) -> StreamPage:
    """One page of `posts` (already visible-filtered and newest activity first) after
    `cursor`, with each post's comments unless `comments` is False (the API shows none);
    shared by every stream."""
    limit = limit or STREAM_PAGE_ITEMS
    page = list(_for_display(posts.filter(_after(cursor)), comments)[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return StreamPage(posts=page, next_cursor=encode_cursor(page[-1]) if more and page else None)


def following_sources(person: Person, cursor: str | None, limit: int) -> list:
    """The "following" filter's sources: (last_activity_at, post id) of each source's
    first `limit` visible posts after `cursor`, each read from an index in activity
    order (followed people through (author, activity); each followed tag through
    the (tag, activity) copy on the tag links)."""
    people = PersonFollow.objects.filter(follower=person).values("followed_id")
    by_people = (
        Post.objects.filter(visible_filter(person), _after(cursor), author__in=people)
        .newest_activity_first()
        .values_list("last_activity_at", "pk")
    )
    sources = [by_people[:limit]]
    tag_ids = list(TagFollow.objects.filter(follower=person).values_list("tag_id", flat=True))
    if tag_ids:
        visible = visible_filter(person, prefix="post__")
        older = _after(cursor, pk="post_id")
        for tag_id in tag_ids:
            tagged = (
                PostTag.objects.filter(visible, older, tag_id=tag_id)
                .order_by("-last_activity_at", "-post_id")
                .values_list("last_activity_at", "post_id")
            )
            sources.append(tagged[:limit])
    return sources


def following_page(
    person: Person, cursor: str | None = None, limit: int | None = None, *, comments: bool = True
) -> StreamPage:
    """One page of the "following" filter: posts by followed people or with followed tags.

    One plain query cannot read that in activity order from an index: every post
    of a popular tag would be gathered and sorted. So each source gives its own
    first `limit + 1` visible posts (`following_sources`), and the page is the
    newest of those few. Every source applies the visibility rule inside its
    query, so the page holds exactly what the plain query would.
    """
    limit = limit or STREAM_PAGE_ITEMS
    newest = sorted(
        {
            pk: when
            for source in following_sources(person, cursor, limit + 1)
            for when, pk in source
        }.items(),
        key=lambda item: (item[1], item[0]),
        reverse=True,
    )[: limit + 1]
    more = len(newest) > limit
    ids = [pk for pk, _when in newest[:limit]]
    # Visible again, in case a post changed audience since its id was read. Sorted
    # here: ordered by activity, SQLite would walk the activity index to find the ids.
    page = sorted(
        _for_display(Post.objects.visible_to(person).filter(pk__in=ids), comments),
        key=lambda post: (post.last_activity_at, post.pk),
        reverse=True,
    )
    return StreamPage(posts=page, next_cursor=encode_cursor(page[-1]) if more and page else None)


def newer_count(person: Person, name: str, since: str) -> int:
    """How many threads had activity after the top of the stream the person is looking at."""
    stamp, pk = decode_cursor(since)
    # The plain `>=` bound stops the walk of the activity index at `since`; without
    # it the OR made SQLite read on through every older post looking for more.
    newer = Q(last_activity_at__gte=stamp) & (
        Q(last_activity_at__gt=stamp) | Q(last_activity_at=stamp, pk__gt=pk)
    )
    posts = Post.objects.visible_to(person).filter(stream_filter(person, name, since=stamp))
    return posts.filter(newer).newest_activity_first()[:100].count()
