"""Who may read and edit a wiki page — and its history, old revisions, diffs, images,
API answers and notifications — checked on every path against one explicit table.

The rule (kollega/permissions/wikis.py): the organisation's wiki is read and edited
by every active colleague; a community's wiki is read like the community's posts
(open and moderated: every active colleague; restricted: only current members) and
edited by its members only. An old revision is exactly as closed as its page.

The community cast of tests/permission_cast.py (`c_cast`):

- owner: Ola, who made the community (and wrote revision 2);
- member: Maja, who wrote the page (revision 1);
- non_member: Nils, a colleague outside the community;
- removed_member: Rut, a member when the page was written and watched, then removed;
- left_member: Lo, a member then, who left on her own;
- invitee: Ivar, invited to the community and not answering — a restricted
  community's card is all he sees, never its wiki or its images;
- deactivated: Dina, a member who has left the organisation.

In the organisation's wiki, the "community" roles are just colleagues.
"""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from permission_cast import (
    C_WHO,
    N,
    Y,
    after_the_changes,
    make_community,
)
from permission_cast import (
    READS as COMMUNITY_READS,
)
from PIL import Image

from kollega.api.services import create_token
from kollega.content.wikis import attachments, services
from kollega.content.wikis.models import Page
from kollega.notifications.models import Notification
from kollega.notifications.services import notifications_for
from kollega.people.models import Person
from kollega.people.tests.factories import deactivate, signed_in
from kollega.permissions.wikis import can_read_page

pytestmark = pytest.mark.django_db

WHO = C_WHO
CASES = ("organisation", "open", "moderated", "restricted")

# fmt: off
READS = {
    #                                   owner member non  removed left invitee deact
    "organisation": dict(zip(WHO, (Y,    Y,     Y,   Y,      Y,   Y,      N), strict=True)),
    **COMMUNITY_READS,
}
EDITS = {
    "organisation": dict(zip(WHO, (Y,    Y,     Y,   Y,      Y,   Y,      N), strict=True)),
    "open":         dict(zip(WHO, (Y,    Y,     N,   N,      N,   N,      N), strict=True)),
    "moderated":    dict(zip(WHO, (Y,    Y,     N,   N,      N,   N,      N), strict=True)),
    "restricted":   dict(zip(WHO, (Y,    Y,     N,   N,      N,   N,      N), strict=True)),
}
# fmt: on


def _web(path_of):
    def read(viewer: Person, page: Page) -> bool:
        response = signed_in(viewer).get(path_of(page))
        assert response.status_code in (200, 302, 404), response.status_code
        return response.status_code == 200

    return read


def _api(path_of):
    def read(viewer: Person, page: Page) -> bool:
        if not viewer.user.is_active:
            # A leaver's token is refused outright (401); nothing to ask.
            return False
        _token, key = create_token(viewer, "matrix")
        response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1" + path_of(page))
        assert response.status_code in (200, 404), response.status_code
        return response.status_code == 200

    return read


def _listed_on_wiki_home(viewer: Person, page: Page) -> bool:
    response = signed_in(viewer).get(services.Wiki(page.community).get_absolute_url())
    return response.status_code == 200 and page.get_absolute_url() in response.content.decode()


def _api_listed(viewer: Person, page: Page) -> bool:
    query = f"?community={page.community.slug}" if page.community_id else ""
    return _api(lambda p: "/wiki/pages" + query)(viewer, page) and _api_items(viewer, query, page)


def _api_items(viewer: Person, query: str, page: Page) -> bool:
    _token, key = create_token(viewer, "matrix-list")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    items = client.get("/api/v1/wiki/pages" + query).json()["items"]
    return page.pk in [item["id"] for item in items]


def _notification(viewer: Person, page: Page) -> bool:
    """A notification that the page changed (sent while the viewer still watched it)
    is listed only while the viewer may read the page."""
    return notifications_for(viewer).filter(wiki_page=page).exists()


def _notifications_page(viewer: Person, page: Page) -> bool:
    response = signed_in(viewer).get("/notifications/")
    return response.status_code == 200 and page.history_url in response.content.decode()


def _edits_by(viewer: Person, page: Page) -> bool:
    return page.revisions.filter(number=1).first() in services.edits_by(
        page.revisions.get(number=1).author, viewer
    )


READ_PATHS = {
    "can_read_page": lambda viewer, page: can_read_page(viewer, page),
    "Page.objects.visible_to": lambda v, p: Page.objects.visible_to(v).filter(pk=p.pk).exists(),
    "edits_by (search and expertise)": _edits_by,
    "web: page": _web(lambda p: p.get_absolute_url()),
    "web: wiki home lists it": _listed_on_wiki_home,
    "web: history": _web(lambda p: p.history_url),
    "web: old revision": _web(lambda p: p.revisions.get(number=1).get_absolute_url()),
    "web: diff": _web(lambda p: p.diff_url + "?from=1&to=2"),
    "web: attachment": _web(lambda p: p.attachments.get().get_absolute_url()),
    "api: GET /wiki/pages/{id}": _api(lambda p: f"/wiki/pages/{p.pk}"),
    "api: GET /wiki/pages": _api_listed,
    "api: GET revisions": _api(lambda p: f"/wiki/pages/{p.pk}/revisions"),
    "api: GET old revision": _api(lambda p: f"/wiki/pages/{p.pk}/revisions/1"),
    "api: GET diff": _api(lambda p: f"/wiki/pages/{p.pk}/diff?from=1&to=2"),
    "notifications_for": _notification,
    "web: notifications page": _notifications_page,
}


def _service_edit(editor: Person, page: Page) -> bool:
    number = page.current_revision.number
    try:
        services.edit_page(editor, page, base_revision=number, body=f"Edited by {editor.handle}")
    except PermissionDenied:
        assert page.revisions.count() == number
        return False
    return True


def _web_edit(editor: Person, page: Page) -> bool:
    number = page.current_revision.number
    response = signed_in(editor).post(
        page.edit_url,
        {"title": page.title, "body": f"Web edit by {editor.handle}", "base_revision": number},
    )
    assert response.status_code in (302, 403, 404), response.status_code
    saved = Page.objects.get(pk=page.pk).current_revision.number == number + 1
    # A refused save changes nothing (a leaver is sent to the sign-in page instead).
    assert saved == (response.status_code == 302 and "/login/" not in response["Location"])
    return saved


def _api_edit(editor: Person, page: Page) -> bool:
    if not editor.user.is_active:
        return False
    _token, key = create_token(editor, "matrix-edit")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    number = page.current_revision.number
    response = client.patch(
        f"/api/v1/wiki/pages/{page.pk}",
        data={"base_revision": number, "body": f"API edit by {editor.handle}"},
        content_type="application/json",
    )
    assert response.status_code in (200, 403, 404), response.status_code
    return response.status_code == 200


def _attach(editor: Person, page: Page) -> bool:
    try:
        attachments.attach_image(editor, page, _png())
    except PermissionDenied:
        return False
    return True


def _restore(editor: Person, page: Page) -> bool:
    number = page.current_revision.number
    response = signed_in(editor).post(page.revisions.get(number=1).restore_url)
    assert response.status_code in (302, 403, 404), response.status_code
    return Page.objects.get(pk=page.pk).current_revision.number == number + 1


EDIT_PATHS = {
    "edit_page": _service_edit,
    "web: edit form": _web_edit,
    "api: PATCH /wiki/pages/{id}": _api_edit,
    "attach_image": _attach,
    "web: restore": _restore,
}


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "green").save(out, "PNG")
    return SimpleUploadedFile("diagram.png", out.getvalue())


@pytest.fixture(autouse=True)
def stored_images_removed(settings):
    """Images are stored where the server keeps them, and removed afterwards."""
    media = Path(settings.MEDIA_ROOT)
    before = set(media.rglob("*"))
    yield
    for made in set(media.rglob("*")) - before:
        if made.is_file():
            made.unlink()


def make_page(c_cast: dict[str, Person], case: str) -> Page:
    """A page with two revisions, an image, and a change notification to everyone;
    then the removal and the deactivation."""
    owner = c_cast["owner"]
    community = None
    if case != "organisation":
        community = make_community(c_cast, case, tag="wikitag")
    page = services.create_page(c_cast["member"], community, "Matrix page", "First words.")
    services.edit_page(owner, page, base_revision=1, body="Second words.")
    attachments.attach_image(owner, page, _png())
    for who in WHO:
        Notification.objects.create(
            recipient=c_cast[who],
            kind=Notification.Kind.WIKI_PAGE_CHANGED,
            actor=owner if who != "owner" else c_cast["member"],
            wiki_page=page,
        )
    if community is not None:
        after_the_changes(c_cast, community)
    else:
        deactivate(c_cast["deactivated"])
    return page


def _fresh(c_cast, who) -> Person:
    return Person.objects.select_related("user").get(pk=c_cast[who].pk)


def test_the_tables_cover_every_case():
    # Who stands where in the community is checked of the product in test_permission_matrix.py.
    assert set(READS) == set(EDITS) == set(CASES)


@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize("case", CASES)
def test_who_reads_the_page_and_its_history(c_cast, case, path):
    page = make_page(c_cast, case)
    seen = {who: READ_PATHS[path](_fresh(c_cast, who), Page.objects.get(pk=page.pk)) for who in WHO}
    assert seen == READS[case]


@pytest.mark.parametrize("path", EDIT_PATHS)
@pytest.mark.parametrize("case", CASES)
def test_who_edits_the_page(c_cast, case, path):
    page = make_page(c_cast, case)
    done = {}
    for who in WHO:
        done[who] = EDIT_PATHS[path](_fresh(c_cast, who), Page.objects.get(pk=page.pk))
    assert done == EDITS[case]


@pytest.mark.parametrize("case", CASES)
def test_nobody_reads_an_image_by_its_stored_name(c_cast, case):
    """Files have no address of their own: only the page's attachment view, checked above."""
    page = make_page(c_cast, case)
    stored = "/media/" + page.attachments.get().image.name
    seen = {who: signed_in(_fresh(c_cast, who)).get(stored).status_code for who in WHO}
    assert set(seen.values()) <= {302, 404} and seen["member"] == 404
