"""Tag names are now kept in normal form C and case-folded (`tags.services.tag_key`),
where they were only lower-cased: `ß` becomes `ss`, so `ß` and `SS` are one tag.

A stored name that changes is renamed, or merged into the tag that already has the
new name: every link to it (posts, people, follows, blogs, bookmarks, communities,
search documents, notifications) moves to that tag, a link that would repeat one the
tag already has is dropped, and the old tag goes. Backwards nothing changes: a merge
cannot be told apart again.
"""

import unicodedata

from django.db import IntegrityError, migrations, transaction


def _key(name: str) -> str:
    # tags.services.tag_key as of this migration (copied: migrations never import app code).
    name = unicodedata.normalize("NFC", name or "").strip().lstrip("#").strip()
    return unicodedata.normalize("NFC", name.casefold())


def _tag_links(apps, Tag):
    """(model, field) of every foreign key to a tag, through tables included."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.many_to_one and field.related_model is Tag:
                yield model, field


def casefold_tag_names(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    links = list(_tag_links(apps, Tag))
    for tag in Tag.objects.order_by("pk"):
        new = _key(tag.name)
        if new == tag.name or not new or len(new) > 50:  # a name too long once folded stays
            continue
        target = Tag.objects.filter(name=new).exclude(pk=tag.pk).first()
        if target is None:
            Tag.objects.filter(pk=tag.pk).update(name=new)
            continue
        for model, field in links:
            for pk in model.objects.filter(**{field.attname: tag.pk}).values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=pk).update(**{field.attname: target.pk})
                except IntegrityError:  # the target tag already has this link
                    model.objects.filter(pk=pk).delete()
        Tag.objects.filter(pk=tag.pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0001_initial"),
        ("posts", "0005_post_post_author_visibility"),
        ("people", "0004_person_by_name"),
        ("network", "0001_initial"),
        ("search", "0002_engines"),
        ("blogs", "0001_initial"),
        ("bookmarks", "0002_bookmark_path"),
        ("communities", "0001_initial"),
        ("notifications", "0005_notification_answer"),
    ]

    operations = [migrations.RunPython(casefold_tag_names, migrations.RunPython.noop)]
