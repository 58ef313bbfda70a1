"""Who may see what: the one place.

Every read path (pages, API, stream, notifications, search and digests) asks
these functions; none decides visibility by itself.

Each kind of object is reached through one services-level access function,
`visible_<kind>(person, id)` (and a write variant), which returns the object
or raises `NotFound`. `NotFound` is Django's 404, so pages and the API answer
a thing one may not see exactly like a thing that does not exist.
"""

from django.http import Http404


class NotFound(Http404):
    """No such object, or not one the acting person may see (never say which)."""
