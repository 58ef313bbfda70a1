"""API: the caller's notifications, read through the permission module."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kollega.api.schemas import (
    OffsetPage,
    OffsetParams,
    PersonRef,
    choice_of,
    offset_page,
    responses,
)
from kollega.notifications import services
from kollega.notifications.models import Notification

router = Router()


class NotificationParams(OffsetParams):
    unread: bool = Field(False, description="Only notifications not yet read.")


class NotificationOut(Schema):
    id: int
    kind: choice_of(Notification.Kind)
    kind_label: str = Field(description="The kind in the caller's language.")
    actor: PersonRef = Field(description="Who did it.")
    post_id: int | None
    comment_id: int | None
    answer_id: int | None = Field(description="The answer given or accepted, for those kinds.")
    invitation_id: int | None
    tag: str | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_tag(obj) -> str | None:
        return obj.tag.name if obj.tag_id else None


class CountOut(Schema):
    count: int


@router.get("/notifications", response=responses({200: OffsetPage[NotificationOut]}, 400))
def list_notifications(request, params: Query[NotificationParams]):
    """The caller's notifications, newest first (`unread=true` for unread ones only).

    A notification about a post the caller may no longer see is left out.
    """
    notifications = services.notifications_for(request.auth)
    if params.unread:
        notifications = notifications.unread()
    return offset_page(notifications, params)


@router.get("/notifications/unread-count", response=responses({200: CountOut}))
def get_unread_count(request):
    """How many of the caller's notifications are unread (for a badge)."""
    return {"count": services.unread_count(request.auth)}


@router.post("/notifications/read", response=responses({200: CountOut}))
def mark_all_read(request):
    """Mark every notification read; answers how many changed."""
    return {"count": services.mark_all_read(request.auth)}


@router.post("/notifications/{notification_id}/read", response=responses({204: None}, 404))
def mark_read(request, notification_id: int):
    """Mark one notification read (no error if it already was)."""
    notification = services.visible_notification(request.auth, notification_id)
    services.mark_read(request.auth, notification.pk)
    return Status(204, None)
