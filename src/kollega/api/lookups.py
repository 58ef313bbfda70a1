"""Finding what a request body names, or answering 400: shared by every router.

Reaching an object a path names is each kind's access function
(`visible_post`, `visible_person`, …), which answers 404 for a thing one may
not see exactly as for a thing that does not exist. `person_or_404` and
`post_or_404` remain for routers not yet converted to call them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kollega.people.models import Person
from kollega.people.services import person_by_handle, visible_person
from kollega.posts.services import visible_post as post_or_404

__all__ = ["person_named", "person_or_404", "post_or_404"]


def person_or_404(username: str) -> Person:
    """`people.services.visible_person`, for routers not yet converted to call it."""
    return visible_person(None, username)


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
