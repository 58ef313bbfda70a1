"""Asking a question, sending it to people who may know, and referring it on."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega import texts
from kollega.guard.services import screen
from kollega.limits import (
    QUESTION_MAX_TAGS,
    QUESTION_SEND_MAX_PEOPLE,
    QUESTION_TITLE_MAX_CHARS,
    REFERRAL_NOTE_MAX_CHARS,
)
from kollega.notifications.models import Notification
from kollega.notifications.services import notify
from kollega.people.models import Person
from kollega.permissions.classification import checked_level
from kollega.permissions.communities import can_post_in
from kollega.permissions.questions import can_see_question
from kollega.posts.models import Audience
from kollega.posts.services import checked_title, post_on_board
from kollega.qa.models import Question, Referral, ReferralStatus
from kollega.tags.services import get_or_create_tags

# Where a question may be asked. Every audience is placed by `_placement`, the one
# place that turns it into a post; a community is one more entry and one more case.
QUESTION_AUDIENCES = {
    Audience.ORGANISATION: gettext_lazy("The whole organisation"),
    Audience.BOARD: gettext_lazy("A colleague's board and their contacts"),
    Audience.COMMUNITY: gettext_lazy("A community (its members, as the community decides)"),
}


def _placement(asker: Person, audience: str, board_owner: Person | None, community) -> dict:
    """The board, audience and community of the question's post.

    A question in a community takes the community's audience (a restricted
    community's members only) and is asked by a member: in an open community
    too, as for posting there, so its owners know who asks.
    """
    if audience not in QUESTION_AUDIENCES:
        raise ValidationError(_("Unknown audience."), code="bad_audience")
    if community is None:
        if audience == Audience.COMMUNITY:
            raise ValidationError(_("Choose the community to ask in."), code="no_community")
        return {"board_owner": board_owner or asker, "audience": audience}
    if board_owner is not None and board_owner.pk != asker.pk:
        raise ValidationError(
            _("A question in a community cannot go on a colleague's board."),
            code="community_board",
        )
    if not can_post_in(asker, community):
        raise ValidationError(
            _("Only members may ask in %(community)s: join it first."),
            params={"community": community.name},
            code="not_member",
        )
    return {"board_owner": asker, "audience": Audience.COMMUNITY, "community": community}


def community_to_ask_in(asker: Person, slug: str | None):
    """The community a question is to be asked in, from its slug (None: none), or a
    ValidationError for one that does not exist or `asker` may not see."""
    from kollega.communities.services import visible_community
    from kollega.permissions import NotFound

    slug = (slug or "").strip()
    if not slug:
        return None
    try:
        return visible_community(asker, slug)
    except NotFound:
        raise ValidationError(
            _("There is no community called “%(slug)s”."),
            params={"slug": slug},
            code="unknown_community",
        ) from None


def _checked_title(title: str) -> str:
    return checked_title(title, QUESTION_TITLE_MAX_CHARS, _("Give the question a title."))


def _checked_tags(tags) -> list[str]:
    """The tags given (blank ones left out); more than QUESTION_MAX_TAGS are refused."""
    tags = [t for t in tags if t and t.strip()]
    if len(tags) > QUESTION_MAX_TAGS:
        raise ValidationError(
            _("At most %(n)d tags."), params={"n": QUESTION_MAX_TAGS}, code="tags"
        )
    return tags


@transaction.atomic
def ask_question(
    asker: Person,
    title: str,
    body: str = "",
    *,
    tags: list[str] | tuple = (),
    audience: str = Audience.ORGANISATION,
    board_owner: Person | None = None,
    guard_override: str | None = None,
    classification=None,
    community=None,
    routing=None,
) -> Question:
    """Ask a question: a post (on the asker's board or a colleague's, or in a `community`
    the asker is a member of) with a title and tags.

    The body is optional; without one, the title is the post's text. #tags in the
    text count as well as the tags given. The share guard screens the title here
    and the text in `post_on_board`, which also checks the `classification`
    against the audience (a Confidential question goes to a board, never to
    the whole organisation); in a community, its classification is the floor.
    With `routing` (`autorouting.Routing`), Kollega sends it at once to the top
    suggestions and on to the next ones when nobody answers in time; a bad
    routing choice refuses the question, and nothing is saved.
    """
    from kollega.qa.services import autorouting

    if routing is not None:
        autorouting.checked_routing(routing)
    title = _checked_title(title)
    tags = _checked_tags(tags)
    placement = _placement(asker, audience, board_owner, community)
    checked_level(classification, placement["audience"], community)
    if (body or "").strip():
        screen(asker, title, placement["audience"], guard_override)
    tag_rows = get_or_create_tags(tags) if tags else []
    post = post_on_board(
        asker,
        (body or "").strip() or title,
        **placement,
        guard_override=guard_override,
        classification=classification,
    )
    if tag_rows:
        post.tags.add(*tag_rows)
    question = Question.objects.create(post=post, title=title, asked_at=post.created_at)
    if routing is not None:
        autorouting.route_question(asker, question, routing)
    return question


def _check_recipient(question: Question, referrer: Person, person: Person) -> None:
    """Refuse a person the question cannot be put to; never reveal it outside its audience."""
    if person.pk == referrer.pk:
        raise ValidationError(_("You cannot refer a question to yourself."), code="self")
    if not person.user.is_active:
        raise ValidationError(
            _("%(name)s has left."), params={"name": person.name}, code="inactive"
        )
    if person.pk == question.post.author_id:
        raise ValidationError(
            _("%(name)s asked this question."), params={"name": person.name}, code="asker"
        )
    if not can_see_question(person, question):
        raise ValidationError(
            _("%(name)s may not see this question, so it cannot be sent to them."),
            params={"name": person.name},
            code="cannot_see",
        )
    if Referral.objects.filter(question=question, person=person).exists():
        raise ValidationError(
            _("%(name)s has already been asked."), params={"name": person.name}, code="asked"
        )


def may_put_to(question: Question, referrer: Person, person: Person) -> bool:
    """Whether `referrer` may send or refer the question to `person` (as the send checks)."""
    try:
        _check_recipient(question, referrer, person)
    except ValidationError:
        return False
    return True


def _put_to(
    question: Question,
    referrer: Person,
    person: Person,
    via,
    reason: str,
    *,
    routed: str = "",
    now=None,
) -> Referral:
    """Put the question to `person` (`routed`: by Kollega's routing, at `now`)."""
    referral = Referral.objects.create(
        question=question,
        person=person,
        referred_by=referrer,
        via=via,
        hops=(via.hops + 1) if via else 1,
        reason=reason,
        routed=routed,
        created_at=now or timezone.now(),
    )
    Question.objects.filter(pk=question.pk).update(
        referral_hops=Greatest("referral_hops", Value(referral.hops))
    )
    question.refresh_from_db(fields=["referral_hops"])
    return referral


@transaction.atomic
def send_question(
    asker: Person, question: Question, people: list[Person], reasons: dict | None = None
) -> list[Referral]:
    """The asker sends the question to colleagues who may know; each is told.

    Every person is checked first: one who may not see the question, the asker,
    or one already asked refuses the whole send, and nothing is sent.
    """
    if question.post.author_id != asker.pk:
        raise PermissionDenied(_("Only the asker can send this question."))
    people = list({p.pk: p for p in people}.values())
    if not people:
        raise ValidationError(_("Choose at least one colleague."), code="nobody")
    if len(people) > QUESTION_SEND_MAX_PEOPLE:
        raise ValidationError(
            _("At most %(n)d colleagues at a time."), params={"n": QUESTION_SEND_MAX_PEOPLE}
        )
    for person in people:
        _check_recipient(question, asker, person)
    reasons = {pk: _shortened(texts.clean(w, one_line=True)) for pk, w in (reasons or {}).items()}
    sent = []
    for person in people:
        sent.append(_put_to(question, asker, person, None, reasons.get(person.pk, "")))
        notify(person, Notification.Kind.QUESTION_SENT, asker, post=question.post)
    return sent


def _shortened(reasons: str) -> str:
    """The suggestion's reasons (written by the routing, not by a person) as a note fits them:
    cut at a word and ended with "…", so the cut shows."""
    if len(reasons) <= REFERRAL_NOTE_MAX_CHARS:
        return reasons
    return reasons[: REFERRAL_NOTE_MAX_CHARS - 1].rsplit(None, 1)[0] + "…"


def _checked_note(note: str) -> str:
    """The note a person writes when referring; an over-long one is refused, never cut."""
    note = texts.clean(note).strip()
    if len(note) > REFERRAL_NOTE_MAX_CHARS:
        raise ValidationError(
            _("The note is too long: %(length)d characters, at most %(max)d."),
            params={"length": len(note), "max": REFERRAL_NOTE_MAX_CHARS},
            code="note_too_long",
        )
    return note


def _referral_of(question: Question, person: Person) -> Referral | None:
    return Referral.objects.filter(question=question, person=person).first()


@transaction.atomic
def refer_question(person: Person, question: Question, to: Person, note: str = "") -> Referral:
    """ "I don't know, ask X": put the question to a named colleague in one step.

    X is told the chain (A asked, B thinks you know). Anyone who may see the
    question may refer it; a colleague who may not see it cannot be named.
    """
    if not can_see_question(person, question):
        raise PermissionDenied(_("You may not see this question."))
    note = _checked_note(note)
    _check_recipient(question, person, to)
    via = _referral_of(question, person)
    if via is not None and via.status == ReferralStatus.WAITING:
        Referral.objects.filter(pk=via.pk).update(status=ReferralStatus.REFERRED)
    referral = _put_to(question, person, to, via, note)
    notify(to, Notification.Kind.QUESTION_REFERRED, person, post=question.post)
    return referral


@transaction.atomic
def decline_question(person: Person, question: Question) -> Referral:
    """ "Not me": a person the question was sent to says they cannot answer it."""
    referral = _referral_of(question, person)
    if referral is None or not can_see_question(person, question):
        raise PermissionDenied(_("This question was not sent to you."))
    if referral.status != ReferralStatus.WAITING:
        raise ValidationError(_("You have already responded to this question."), code="responded")
    referral.status = ReferralStatus.DECLINED
    referral.save(update_fields=["status"])
    return referral
