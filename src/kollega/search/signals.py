"""The index follows every write, in the same transaction (connected in SearchConfig.ready).

For each registered kind: saving its model re-indexes the object, deleting it
removes the document; each of its `watches` re-indexes the objects a related
write changes. A delete that cascades from one of the indexed objects
themselves (a person deleted with their tags) does not re-index what is being
deleted anyway.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from kollega.search.documents import KINDS, DocumentKind, Watch, on_register
from kollega.search.indexing import index_object, remove_object


def _reindex(kind: DocumentKind, objects) -> None:
    for obj in objects:
        if obj is not None and obj.pk is not None:
            index_object(kind, obj)


def _cascading_from_indexed(origin) -> bool:
    model = getattr(origin, "model", None) or type(origin)
    return model is get_user_model() or any(k.model is model for k in KINDS.values())


def _connect_kind(kind: DocumentKind) -> None:
    def saved(sender, instance, raw=False, **kwargs):
        if not raw:
            index_object(kind, instance)

    def deleted(sender, instance, **kwargs):
        remove_object(kind, instance.pk)

    uid = f"search:{kind.name}"
    post_save.connect(saved, sender=kind.model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(deleted, sender=kind.model, weak=False, dispatch_uid=f"{uid}:delete")
    for number, watch in enumerate(kind.watches):
        _connect_watch(kind, watch, f"{uid}:watch{number}")


def _connect_watch(kind: DocumentKind, watch: Watch, uid: str) -> None:
    if watch.m2m:

        def changed(sender, instance, action, reverse, model, pk_set, **kwargs):
            if action not in ("post_add", "post_remove", "post_clear"):
                return
            if not reverse:
                _reindex(kind, watch.objects_of(instance))
            elif pk_set:
                for obj in model.objects.filter(pk__in=pk_set):
                    _reindex(kind, watch.objects_of(obj))

        m2m_changed.connect(changed, sender=watch.sender, weak=False, dispatch_uid=uid)
        return

    def saved(sender, instance, raw=False, **kwargs):
        if not raw:
            _reindex(kind, watch.objects_of(instance))

    def deleted(sender, instance, origin=None, **kwargs):
        if origin is None or origin is instance or not _cascading_from_indexed(origin):
            _reindex(kind, watch.objects_of(instance))

    post_save.connect(saved, sender=watch.sender, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(deleted, sender=watch.sender, weak=False, dispatch_uid=f"{uid}:delete")


def connect() -> None:
    """Follow the writes of every kind registered now or later."""
    on_register(_connect_kind)
