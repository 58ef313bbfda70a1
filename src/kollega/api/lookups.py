"""Finding what a path names, or answering 404: shared by every router.

A thing one may not see answers exactly like a thing that does not exist.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from kollega.people.models import Person
from kollega.people.services import person_by_handle
from kollega.posts.models import Post
from kollega.posts.services import visible_post


def person_or_404(username: str) -> Person:
    """The active colleague with this user name, or 404."""
    person = person_by_handle(username)
    if person is None:
        raise Http404
    return person


def person_named(username: str) -> Person:
    """The active colleague a request body names (`anna` or `@anna`), or 400."""
    handle = username.strip().lstrip("@")
    person = person_by_handle(handle)
    if person is None:
        # The same words (and translations) as a mention of nobody in a post.
        raise ValidationError(
            _("Nobody here is called %(handles)s."), params={"handles": "@" + handle}
        )
    return person


def post_or_404(viewer: Person, post_id: int) -> Post:
    """The post with this id if `viewer` may see it, else 404 (never say it exists)."""
    post = visible_post(viewer, post_id)
    if post is None:
        raise Http404
    return post
