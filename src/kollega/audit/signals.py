"""What the trail records by itself: writes of content, communities, accounts and tokens.

Model signals rather than a call in every service: every write path — pages,
the API, mail-in, imports, the operator's commands — saves through the models,
so nothing can be forgotten, and the domain services stay free of audit code.
The acting person comes from the request being served (`context`); the item
is the signal's instance. Only changes of what a reader sees count as
"changed" (an activity time or a counter moving is not); a change of audience
or classification is "shared". `QuerySet.update()` bypasses signals, so the
services change content through `save()`.

Events that are not a model write call `services.record` where they happen:
the share guard's hooks, `record_opened` in the detail views, `people erase`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from kollega.audit.models import Action
from kollega.audit.services import record

# Model label → the fields whose change is worth an entry (those in SHARED are "shared").
TRACKED = {
    "posts.Post": ("body", "audience", "classification"),
    "posts.Comment": ("body",),
    "qa.Question": ("title",),
    "qa.Answer": ("body",),
    "qa.AnswerComment": ("body",),
    "blogs.BlogEntry": ("title", "body", "status", "audience", "classification"),
    "wikis.Page": ("title", "body", "classification"),
    "bookmarks.Bookmark": ("url", "title", "notes", "audience", "classification"),
    "communities.Community": ("name", "description", "kind", "classification"),
}
SHARED = {"audience", "classification", "kind"}
ACCOUNT_FIELDS = ("is_active", "is_staff", "is_superuser")
_SNAPSHOT = "_audit_snapshot"


def _snapshot(instance, fields) -> None:
    """Remember `fields` as stored (after a load, or a save that wrote them)."""
    snapshot = instance.__dict__.setdefault(_SNAPSHOT, {})
    # Only loaded fields (a deferred one would cost a query per instance).
    snapshot.update({f: instance.__dict__[f] for f in fields if f in instance.__dict__})


def _changes(instance, fields) -> dict:
    before = getattr(instance, _SNAPSHOT, {})
    return {
        f: [before[f], instance.__dict__.get(f)]
        for f in fields
        if f in before and f in instance.__dict__ and before[f] != instance.__dict__[f]
    }


def _author_of(instance):
    """Who wrote an item: the actor when no one is signed in (mail-in, imports, the worker).

    A function to call, so the author is only loaded when needed."""

    def author():
        for name in ("author", "person", "created_by"):
            if instance.__dict__.get(f"{name}_id") is not None:
                return getattr(instance, name)
        if instance.__dict__.get("post_id") is not None:  # a question's author is its post's
            return instance.post.author
        return None

    return author


def _saved_fields(fields, update_fields) -> tuple:
    """The tracked fields a save wrote (`save(update_fields=…)` writes only those)."""
    return fields if update_fields is None else tuple(f for f in fields if f in update_fields)


def _content_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:  # loading fixtures
        return
    fields = _saved_fields(TRACKED[sender._meta.label], update_fields)
    by = _author_of(instance)
    if created:
        record(Action.CREATED, target=instance, fallback_actor=by)
    else:
        changes = _changes(instance, fields)
        shared = {f: v for f, v in changes.items() if f in SHARED}
        changed = sorted(set(changes) - SHARED)
        if shared:
            record(Action.SHARED, target=instance, detail=shared, fallback_actor=by)
        if changed:
            record(Action.CHANGED, target=instance, detail={"fields": changed}, fallback_actor=by)
    _snapshot(instance, fields)


def _content_loaded(sender, instance, **kwargs):
    _snapshot(instance, TRACKED[sender._meta.label])


def _content_deleted(sender, instance, **kwargs):
    record(Action.DELETED, target=instance, fallback_actor=_author_of(instance))


def connect() -> None:
    from django.apps import apps

    for label in TRACKED:
        model = apps.get_model(label)
        uid = f"kollega.audit.{label}"
        post_init.connect(_content_loaded, sender=model, dispatch_uid=uid, weak=False)
        post_save.connect(_content_saved, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_content_deleted, sender=model, dispatch_uid=uid, weak=False)
    User = get_user_model()
    post_init.connect(_account_loaded, sender=User, dispatch_uid="kollega.audit.user", weak=False)
    post_save.connect(_account_saved, sender=User, dispatch_uid="kollega.audit.user", weak=False)

    from kollega.accounts.models import SignInAttempt
    from kollega.api.models import ApiToken
    from kollega.communities.models import MembershipEvent, ModerationLog

    post_save.connect(_sign_in_attempt, sender=SignInAttempt, dispatch_uid="kollega.audit.sia")
    post_save.connect(_membership_event, sender=MembershipEvent, dispatch_uid="kollega.audit.me")
    post_save.connect(_moderation, sender=ModerationLog, dispatch_uid="kollega.audit.mod")
    post_save.connect(_token_created, sender=ApiToken, dispatch_uid="kollega.audit.token")
    post_delete.connect(_token_revoked, sender=ApiToken, dispatch_uid="kollega.audit.token")


def _account_loaded(sender, instance, **kwargs):
    _snapshot(instance, ACCOUNT_FIELDS)


def _account_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    fields = _saved_fields(ACCOUNT_FIELDS, update_fields)
    changes = {} if created else _changes(instance, fields)
    if changes:
        person = getattr(instance, "person", None)
        target = person if person is not None else instance
        record(Action.ACCOUNT_CHANGED, target=target, detail=changes)
    _snapshot(instance, fields)


def _sign_in_attempt(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    refused = instance.outcome == "refused"
    record(
        Action.SIGN_IN_REFUSED if refused else Action.SIGN_IN_FAILED,
        target=("account", "", instance.username),
        detail={"address": instance.address} if instance.address else {},
        durable=True,  # the attempt's own transaction may be rolled back
    )


def _membership_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(
            Action.MEMBERSHIP,
            actor=instance.actor,
            target=instance.community,
            detail={
                "what": instance.what,
                "person_id": instance.person_id,
                "person": instance.person.name,
            },
        )


def _moderation(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(
            Action.MODERATION_REMOVED,
            actor=instance.moderator,
            target=(instance.what, instance.removed_id, ""),
            detail={
                "community_id": instance.community_id,
                "community": instance.community.name,
                "author_id": instance.author_id,
                "reason": instance.reason,
            },
        )


def _token_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(
            Action.TOKEN_CREATED,
            target=instance.person,
            detail={"token_id": instance.pk, "name": instance.name, "scope": instance.scope},
        )


def _token_revoked(sender, instance, **kwargs):
    record(
        Action.TOKEN_REVOKED,
        target=("person", instance.person_id, ""),
        detail={"token_id": instance.pk, "name": instance.name},
    )


@receiver(user_logged_in, dispatch_uid="kollega.audit.sign_in")
def _signed_in(sender, request, user, **kwargs):
    person = getattr(user, "person", None)
    record(Action.SIGN_IN, actor=person, target=person, request=request)


@receiver(user_logged_out, dispatch_uid="kollega.audit.sign_out")
def _signed_out(sender, request, user, **kwargs):
    person = getattr(user, "person", None) if user is not None else None
    record(Action.SIGN_OUT, actor=person, target=person, request=request)


connect()
