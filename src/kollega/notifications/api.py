"""API: the caller's notifications (read through the permission module), their mail choices."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
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
from kollega.digests import services as digests
from kollega.digests.models import DigestChoice
from kollega.digests.services import digest_choice
from kollega.notifications import services
from kollega.notifications.models import MailChoice, Notification, default_mail_choice

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
    listening_mention_id: int | None = Field(
        None, description="The mention outside of a term you own, for `listening_mention`."
    )
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


# --- mail preferences -----------------------------------------------------------------------


class MailPreferenceOut(Schema):
    kind: choice_of(Notification.Kind)
    label: str = Field(description="The kind in the caller's language.")
    choice: choice_of(MailChoice) = Field(
        description="`at_once`: a mail within minutes (a burst is one mail); `digest`: in "
        "the caller's digest; `never`: no mail."
    )
    default: choice_of(MailChoice) = Field(description="What a person who chose nothing gets.")


class MailPreferencesOut(Schema):
    preferences: list[MailPreferenceOut]
    digest: choice_of(DigestChoice) = Field(
        description="How often the caller's digest comes: `daily`, `weekly` (Monday "
        "morning) or `none`. Without a choice: daily if any kind goes to the digest, "
        "else weekly."
    )


class MailPreferencesIn(Schema):
    preferences: dict[str, Any] = Field(
        description='Kinds to change, e.g. `{"mention": "never"}`; kinds left out keep their '
        "choice. An unknown kind or choice answers 422 and changes nothing.",
        examples=[{"question_sent": "at_once", "comment": "digest", "mention": "never"}],
    )
    digest: str | None = Field(
        None, description="`daily`, `weekly` or `none`; left out: unchanged.", examples=["weekly"]
    )


def _mail_preferences(person) -> dict:
    choices = services.mail_choices(person)
    return {
        "preferences": [
            {
                "kind": kind,
                "label": str(label),
                "choice": choices[kind],
                "default": default_mail_choice(kind),
            }
            for kind, label in Notification.Kind.choices
        ],
        "digest": digest_choice(person),
    }


@router.get("/me/mail-preferences", response=responses({200: MailPreferencesOut}))
def get_mail_preferences(request):
    """When the caller gets mail about each kind of notification: at once, digest or never."""
    return _mail_preferences(request.auth)


@router.put("/me/mail-preferences", response=responses({200: MailPreferencesOut}, 422))
def set_mail_preferences(request, payload: MailPreferencesIn):
    """Change the caller's mail choice for some kinds of notification (and, with `digest`,
    how often their digest comes); answers all of them. Nothing changes on a 422."""
    try:
        digests.set_mail_preferences(request.auth, payload.preferences, payload.digest)
    except ValidationError as error:
        return Status(422, {"detail": " ".join(error.messages)})
    return _mail_preferences(request.auth)
