"""Atom feeds of blogs, for feed readers inside the firewall.

These feeds are never public: the reader signs in with the intranet session, a
personal access token (`Authorization: Bearer kol_…`), or — as most feed
readers can — HTTP Basic with their user name and password. A feed lists only
the entries that reader may see (`permissions.blogs`), exactly as the blog page.
The one feed without sign-in, a person's public blog, is written by the same
`atom_feed` (`kollega.public.views.feed`).
"""

import base64
import binascii

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kollega.api.auth import TokenAuth
from kollega.content.blogs import services
from kollega.web.helpers import person_or_404

FEED_SIZE = 30


def feed_reader(request):
    """The person asking for a feed (session, Bearer token or Basic), or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, credentials = header.partition(" ")
    if scheme.lower() == "bearer":
        return TokenAuth().authenticate(request, credentials.strip())
    if scheme.lower() == "basic":
        try:
            username, _colon, password = (
                base64.b64decode(credentials.strip()).decode("utf-8").partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            return None
        user = authenticate(request, username=username, password=password)
        return getattr(user, "person", None) if user is not None and user.is_active else None
    if header:
        return None
    user = request.user
    if user.is_authenticated and user.is_active:
        return getattr(user, "person", None)
    return None


def _unauthorised() -> HttpResponse:
    response = HttpResponse(
        _("Sign in to read this feed: a token (Bearer) or your user name and password (Basic)."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = 'Basic realm="kollega", charset="UTF-8"'
    return response


def atom_feed(
    request, title: str, link: str, entries, entry_url=None, entry_html=None
) -> HttpResponse:
    """The Atom document of `entries` (the newest FEED_SIZE), with absolute links.

    `entry_url` and `entry_html` give an entry's address and text (by default the
    intranet's entry page and the text as rendered there).
    """
    entry_url = entry_url or (lambda entry: entry.get_absolute_url())
    entry_html = entry_html or (lambda entry: entry.body_html)
    feed = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(link),
        description="",
        feed_url=request.build_absolute_uri(),
        language=getattr(request, "LANGUAGE_CODE", None),
    )
    for entry in entries[:FEED_SIZE]:
        url = request.build_absolute_uri(entry_url(entry))
        feed.add_item(
            title=entry.title,
            link=url,
            description=entry_html(entry),
            unique_id=url,
            pubdate=entry.published_at,
            updateddate=entry.updated_at,
            author_name=entry.author.name,
            categories=[t.name for t in entry.tags.all()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@login_not_required
@never_cache
def person_feed(request, username: str):
    """The Atom feed of a colleague's blog, as the reader may see it."""
    reader = feed_reader(request)
    if reader is None:
        return _unauthorised()
    owner = person_or_404(username)
    title = _("%(name)s's blog") % {"name": owner.name}
    return atom_feed(
        request, title, owner.get_absolute_url(), services.blog_entries(reader, author=owner)
    )


@login_not_required
@never_cache
def community_feed(request, slug: str):
    """The Atom feed of a community's blog; 404 for a reader who may not read the community."""
    reader = feed_reader(request)
    if reader is None:
        return _unauthorised()
    community = services.readable_blog(reader, slug)
    title = _("Blog of %(community)s") % {"community": community.name}
    entries = services.blog_entries(reader, community=community)
    return atom_feed(request, title, community.get_absolute_url(), entries)
