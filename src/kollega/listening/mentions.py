"""The shared inbox's rules: mentions assigned, answered or dismissed, commented on,
turned into a question or post for colleagues, and how fast they were answered.

Every function takes the acting person first. The listening team
(`kollega.permissions.listening.may_listen`) works on every mention; a term's owner
on the mentions of their terms (`workable_mentions_filter`). A mention is reached
through `visible_mention` only. The lifecycle (see `Mention`):

    new ──assign──▶ assigned ──answer──▶ answered
     │                 │
     └────dismiss──────┴──────────────▶ dismissed (with a reason)

A new mention may be answered at once (whoever answers is its assignee).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from kollega import texts
from kollega.limits import LISTENING_COMMENT_MAX_CHARS
from kollega.limits import LISTENING_DISMISS_REASON_MAX_CHARS as DISMISS_REASON_MAX_CHARS
from kollega.listening.models import Mention, MentionComment
from kollega.listening.readers import plain_text
from kollega.permissions import NotFound
from kollega.permissions.listening import (
    listening_team_filter,
    may_use_inbox,
    may_work_on_mention,
    workable_mentions_filter,
)


def _check(person) -> None:
    if not may_use_inbox(person):
        raise PermissionDenied(_("Listening is for staff and the listening team."))


def workable_mentions(person):
    """Every mention `person` may read and work on (see `workable_mentions_filter`)."""
    return Mention.objects.filter(workable_mentions_filter(person))


def inbox(person, state: str | None = None):
    """The mentions `person` may work on: open ones (new, assigned) oldest first by default."""
    _check(person)
    mentions = workable_mentions(person).select_related("item__source", "term", "assignee", "post")
    if state:
        return mentions.filter(state=state).order_by("-created_at", "-pk")
    return mentions.open().oldest_first()


def visible_mention(person, mention_id: int) -> Mention:
    """The mention, if `person` may work on it (team, or the term's owner); else NotFound."""
    found = (
        workable_mentions(person)
        .select_related("item__source", "term", "assignee", "post")
        .filter(pk=mention_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _open(mention: Mention) -> Mention:
    """The mention locked for a change; a closed one cannot change any more."""
    locked = Mention.objects.select_for_update().get(pk=mention.pk)
    if locked.state not in (Mention.State.NEW, Mention.State.ASSIGNED):
        raise ValidationError(_("This mention is already answered or dismissed."))
    return locked


def _check_mention(person, mention: Mention) -> None:
    if not may_work_on_mention(person, mention):
        raise PermissionDenied(_("Listening is for staff and the listening team."))


def assign_mention(person, mention: Mention, assignee) -> Mention:
    """Give an open mention to a colleague who may work on it (who then answers it)."""
    _check_mention(person, mention)
    if not may_work_on_mention(assignee, mention):
        raise ValidationError(_("Only someone on the listening team can take a mention."))
    with transaction.atomic():
        mention = _open(mention)
        mention.state, mention.assignee = Mention.State.ASSIGNED, assignee
        mention.assigned_at = timezone.now()
        mention.save(update_fields=["state", "assignee", "assigned_at"])
    return mention


def answer_mention(person, mention: Mention) -> Mention:
    """Mark an open mention answered (at its source): its response time stops now."""
    _check_mention(person, mention)
    with transaction.atomic():
        mention = _open(mention)
        now = timezone.now()
        if mention.assignee_id is None:
            mention.assignee, mention.assigned_at = person, now
        mention.state, mention.closed_at = Mention.State.ANSWERED, now
        mention.save(update_fields=["state", "assignee", "assigned_at", "closed_at"])
    return mention


def dismiss_mention(person, mention: Mention, reason: str) -> Mention:
    """Close an open mention without an answer, saying why (spam, not about us, …)."""
    _check_mention(person, mention)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why this mention needs no answer."))
    if len(reason) > DISMISS_REASON_MAX_CHARS:
        raise ValidationError(
            _("A reason is at most %(limit)d characters.") % {"limit": DISMISS_REASON_MAX_CHARS}
        )
    with transaction.atomic():
        mention = _open(mention)
        mention.state, mention.dismiss_reason = Mention.State.DISMISSED, reason
        mention.closed_at = timezone.now()
        mention.save(update_fields=["state", "dismiss_reason", "closed_at"])
    return mention


def comment_on_mention(person, mention: Mention, body: str) -> MentionComment:
    """An internal note on a mention (what to answer, who knows): for those who may work on
    it only, never shown outside or sent to the source."""
    _check_mention(person, mention)
    body = texts.clean(body or "")
    if not body.strip():
        raise ValidationError(_("Write a comment first."))
    if len(body) > LISTENING_COMMENT_MAX_CHARS:
        raise ValidationError(
            _("A comment is at most %(limit)d characters.") % {"limit": LISTENING_COMMENT_MAX_CHARS}
        )
    return MentionComment.objects.create(mention=mention, author=person, body=body)


def _shared_text(mention: Mention, note: str) -> str:
    item = mention.item
    said = plain_text(item.content_html)[:600].strip()
    lines = [note.strip()] if note.strip() else []
    if said:
        lines.append("> " + " ".join(said.split()))
    lines.append(_("Said outside, in %(source)s: %(url)s")
                 % {"source": item.source.name, "url": item.url or "—"})  # fmt: skip
    return "\n\n".join(lines)


def turn_into_post(
    person,
    mention: Mention,
    *,
    as_question: bool,
    note: str = "",
    guard_override: str | None = None,
):
    """Ask colleagues about a mention: a question (or a status update) for the whole
    organisation, through the qa and posts services (the share guard and the
    classification caps apply as to any other), quoting the item and linking to it
    at its source; the mention keeps a link to the question or post.

    A mention already turned into one is not turned again (ValidationError).
    """
    from kollega.posts.services import post_on_board
    from kollega.qa.services import ask_question

    _check_mention(person, mention)
    if mention.post_id is not None:
        raise ValidationError(_("This mention is already shared with colleagues."))
    body = _shared_text(mention, texts.clean(note or ""))
    with transaction.atomic():
        # Two colleagues sharing the same mention at once: the second waits, then is told.
        if Mention.objects.select_for_update().get(pk=mention.pk).post_id is not None:
            raise ValidationError(_("This mention is already shared with colleagues."))
        if as_question:
            title = _("What do we answer to “%(title)s”?") % {
                "title": (mention.item.title or mention.term.phrase)[:150]
            }
            question = ask_question(person, title, body, guard_override=guard_override)
            post = question.post
        else:
            post = post_on_board(person, body, guard_override=guard_override)
        Mention.objects.filter(pk=mention.pk).update(post=post)
        mention.post = post
    return post


def assignable_people(person, mention: Mention) -> list:
    """Who `mention` may be given to: the listening team and its term's owners (active)."""
    from kollega.listening.services import term_owners
    from kollega.people.models import Person

    _check_mention(person, mention)
    team = Person.objects.filter(listening_team_filter()).select_related("user").distinct()
    owners = [p for p in term_owners(mention.term) if p.user.is_active]
    people = {p.pk: p for p in [*team, *owners]}
    return sorted(people.values(), key=lambda p: p.name)


def assignable_person(person_id) -> object:
    """The active colleague `person_id` names; else a ValidationError (an unknown id
    changes nothing). Whether a mention may be given to them, `assign_mention` decides."""
    from kollega.people.models import Person

    try:
        wanted = int(person_id)
    except (TypeError, ValueError):
        raise ValidationError(_("Choose a colleague to give the mention to.")) from None
    found = Person.objects.filter(pk=wanted, user__is_active=True).select_related("user").first()
    if found is None:
        raise ValidationError(_("Only someone on the listening team can take a mention."))
    return found


def comments(person, mention: Mention):
    _check_mention(person, mention)
    return mention.comments.select_related("author__user")


def response_times(person) -> list[dict]:
    """Per term and owner: mentions closed and their mean response time, of the mentions
    `person` may work on (see `response_times_of`)."""
    _check(person)
    return response_times_of(workable_mentions(person))


def response_times_of(mentions) -> list[dict]:
    """Per term of `mentions` (a queryset), by phrase: its owner's name ("" without one),
    the mentions closed and their mean response time (first seen → answered or
    dismissed, a timedelta)."""
    rows = (
        mentions.filter(closed_at__isnull=False)
        .values("term__phrase", "term__owner_person__name", "term__owner_community__name")
        .annotate(closed=Count("pk"), mean=Avg(F("closed_at") - F("created_at")))
        .order_by("term__phrase")
    )
    return [
        {
            "term": r["term__phrase"],
            "owner": r["term__owner_person__name"] or r["term__owner_community__name"] or "",
            "closed": r["closed"],
            "mean": _duration(r["mean"]),
        }
        for r in rows
    ]


def mean_response_time(mentions) -> timedelta | None:
    """The mean response time of the closed ones of `mentions` (None if none is closed)."""
    closed = mentions.filter(closed_at__isnull=False)
    return _duration(closed.aggregate(mean=Avg(F("closed_at") - F("created_at")))["mean"])


def _duration(value) -> timedelta | None:
    """Avg over a duration is a timedelta on PostgreSQL, microseconds on SQLite."""
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(microseconds=float(value))
