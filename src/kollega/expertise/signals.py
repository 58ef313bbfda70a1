"""Profiles follow writes: whatever changes someone's evidence marks their profile stale.

Connected in `ExpertiseConfig.ready`. The mark is written in the same
transaction as the change (so it is never lost), and when that transaction
commits a task recomputes the stale profiles (`tasks.refresh_stale_profiles`:
at once with the immediate backend, by `kollega worker` with the database
one). Until then `profiles.shortlist` always includes stale people.
"""

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from kollega.communities.models import Community, Membership
from kollega.content.blogs.models import BlogEntry
from kollega.content.bookmarks.models import Bookmark
from kollega.content.wikis.models import Page, Revision
from kollega.expertise import profiles
from kollega.notifications.models import Notification
from kollega.people.models import PersonTag
from kollega.posts.models import Post
from kollega.qa.models import Answer, HelpfulVote, Question


def _enqueue_refresh() -> None:
    from kollega.expertise.tasks import refresh_stale_profiles

    refresh_stale_profiles.enqueue()


def _changed(person_ids, *, deleted: bool = False) -> None:
    # A delete may be part of deleting the person: their profile goes with them, and
    # a profile must not be created for someone on the way out.
    profiles.mark_stale(person_ids, create=not deleted)
    # One task per transaction, however many rows and savepoints it wrote: a task
    # registered outside the current savepoint runs whenever one registered inside it
    # would (rolling back a savepoint drops only the callbacks registered within it).
    here = set(connection.savepoint_ids)
    if not any(
        func is _enqueue_refresh and sids <= here for sids, func, *_ in connection.run_on_commit
    ):
        transaction.on_commit(_enqueue_refresh)


def _answerers(question_id) -> list[int]:
    return list(Answer.objects.filter(question_id=question_id).values_list("author_id", flat=True))


def _question_people(question) -> list[int]:
    # Answers carry their question's title and tags, so its answerers change with it.
    asker = Post.objects.filter(pk=question.post_id).values_list("author_id", flat=True)
    return [*asker, *_answerers(question.pk)]


def _post_people(post) -> list[int]:
    question = Question.objects.filter(post_id=post.pk).first()
    return [post.author_id, *(_question_people(question) if question else ())]


def _members(community) -> list[int]:
    return list(
        Membership.objects.filter(community_id=community.pk).values_list("person_id", flat=True)
    )


def _page_authors(page) -> list[int]:
    return list(
        Revision.objects.filter(page_id=page.pk).values_list("author_id", flat=True).distinct()
    )


def _helpful(vote) -> list[int]:
    return list(Answer.objects.filter(pk=vote.answer_id).values_list("author_id", flat=True))


def _accepted(notification) -> list[int]:
    # Accepting sets the question's accepted answer with an UPDATE (no signal); the
    # notification to the answer's author is the write that says it happened.
    if notification.kind == Notification.Kind.ANSWER_ACCEPTED:
        return [notification.recipient_id]
    return []


# model -> who its saves and deletes concern
ROWS = {
    PersonTag: lambda tag: [tag.person_id],
    Answer: lambda answer: [answer.author_id],
    HelpfulVote: _helpful,
    Question: _question_people,
    Post: lambda post: [post.author_id],
    Membership: lambda membership: [membership.person_id],
    Community: _members,
    BlogEntry: lambda entry: [entry.author_id],
    Revision: lambda revision: [revision.author_id],
    Page: _page_authors,
    Bookmark: lambda bookmark: [bookmark.person_id],
}
# m2m tag tables -> who a change of the tags concerns
TAGS = {
    Post.tags.through: _post_people,
    Community.tags.through: _members,
    BlogEntry.tags.through: lambda entry: [entry.author_id],
    Bookmark.tags.through: lambda bookmark: [bookmark.person_id],
}


def _connect_rows(model, people) -> None:
    def saved(sender, instance, raw=False, **kwargs):
        if not raw:
            _changed(people(instance))

    def deleted(sender, instance, **kwargs):
        _changed(people(instance), deleted=True)

    uid = f"expertise:{model._meta.label}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}:delete")


def _connect_tags(through, people) -> None:
    def changed(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            _changed(people(instance))
        elif pk_set:  # tags given to many objects at once, from the tag's side
            for obj in model.objects.filter(pk__in=pk_set):
                _changed(people(obj))

    m2m_changed.connect(
        changed, sender=through, weak=False, dispatch_uid=f"expertise:{through._meta.label}"
    )


def _connect_notifications() -> None:
    def saved(sender, instance, created=False, raw=False, **kwargs):
        if created and not raw:
            people = _accepted(instance)
            if people:
                _changed(people)

    post_save.connect(
        saved, sender=Notification, weak=False, dispatch_uid="expertise:accepted-answer"
    )


def connect() -> None:
    """Follow every write that changes someone's evidence."""
    for model, people in ROWS.items():
        _connect_rows(model, people)
    for through, people in TAGS.items():
        _connect_tags(through, people)
    _connect_notifications()
