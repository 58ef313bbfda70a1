"""Stored files (wiki attachments, photos) answered by the views that checked who may see them.

Nothing under MEDIA_ROOT has an address of its own: each kind of file has a view
that decides who may have it, then hands it over here. By default Kollega
streams the file itself (`FileResponse`, read in blocks, so a large file never
sits in memory). Behind a web server that can send files, the operator sets
`KOLLEGA_SENDFILE_HEADER` and Kollega only names the file:

- `X-Accel-Redirect` (nginx): the header carries `KOLLEGA_SENDFILE_PREFIX`
  (default `/protected-media/`) followed by the file's name under MEDIA_ROOT;
  nginx maps that prefix to MEDIA_ROOT in an `internal` location, so it cannot
  be asked for directly;
- `X-Sendfile` (Apache's mod_xsendfile, lighttpd): the file's absolute path.

Both are settings read from the environment at start.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

SENDFILE_HEADERS = {"x-accel-redirect": "X-Accel-Redirect", "x-sendfile": "X-Sendfile"}
DEFAULT_PREFIX = "/protected-media/"


def sendfile_header() -> str | None:
    """The header the web server in front sends files by (None: Kollega streams them)."""
    return SENDFILE_HEADERS.get(settings.KOLLEGA_SENDFILE_HEADER)


def stored_file_response(
    stored: FieldFile, content_type: str, cache: str = "private, max-age=3600"
) -> HttpResponse:
    """The file, for a viewer a view has already let through; 404 if it is gone."""
    header = sendfile_header()
    if header is None:
        try:
            response = FileResponse(stored.open("rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
    else:
        response = HttpResponse(content_type=content_type)
        if header == "X-Accel-Redirect":
            prefix = settings.KOLLEGA_SENDFILE_PREFIX or DEFAULT_PREFIX
            response[header] = prefix.rstrip("/") + "/" + quote(stored.name)
        else:
            response[header] = stored.path
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # Private: a shared cache must never hand a file to someone the view would refuse.
    response["Cache-Control"] = cache
    return response
