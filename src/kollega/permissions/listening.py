"""Who may read listening (sources, items, mentions).

What is said outside the firewall is public, but which names the organisation
watches, and what its brand team answers, is not for everyone: listening is
for staff (`is_staff`, who also manage sources in the admin) and for members
of the `listening` group (a Django auth group an administrator fills, e.g. the
brand and customer-care team). A deactivated colleague reads nothing.

A watch term's owner (a person, or the owners of a community) is told of its
new mentions and may read and work on those mentions, team or not
(`workable_mentions_filter`); everything else in listening stays the team's.
"""

from django.db.models import Q

LISTENING_GROUP = "listening"


def listening_team_filter() -> Q:
    """The listening team, as a filter over people: active staff, and active members of
    the `listening` group."""
    on_team = Q(user__is_staff=True) | Q(user__groups__name=LISTENING_GROUP)
    return Q(user__is_active=True) & on_team


def may_listen(person) -> bool:
    """True if `person` may read listening's sources, items and mentions."""
    if person is None or not person.user.is_active:
        return False
    from kollega.people.models import Person

    return Person.objects.filter(pk=person.pk).filter(listening_team_filter()).exists()


def owned_terms_filter(person) -> Q:
    """Terms `person` owns: theirs, or a community's they are an owner of."""
    from kollega.communities.models import Membership

    owned = Membership.objects.filter(person=person, role=Membership.Role.OWNER)
    return Q(owner_person=person) | Q(owner_community__in=owned.values("community_id"))


def workable_mentions_filter(person, prefix: str = "") -> Q:
    """Mentions `person` may read, comment on and work on (assign, answer, dismiss, turn
    into a question): every mention for the listening team; a term's owner, who is not on
    the team, the mentions of the terms they own. Nobody else, and a deactivated colleague
    none (an always-false filter)."""
    if person is None or not person.user.is_active:
        return Q(pk__in=[])
    if may_listen(person):
        return Q()
    from kollega.listening.models import Term

    return Q(**{f"{prefix}term__in": Term.objects.filter(owned_terms_filter(person))})


def may_work_on_mention(person, mention) -> bool:
    """True if `person` may read and work on `mention` (see `workable_mentions_filter`)."""
    from kollega.listening.models import Mention

    return Mention.objects.filter(pk=mention.pk).filter(workable_mentions_filter(person)).exists()


def owns_any_term(person) -> bool:
    """True if `person` owns a watch term (so has an inbox of their terms' mentions)."""
    if person is None or not person.user.is_active:
        return False
    from kollega.listening.models import Term

    return Term.objects.filter(owned_terms_filter(person)).exists()


def may_use_inbox(person) -> bool:
    """True if `person` has an inbox: on the listening team, or owning a watch term."""
    return may_listen(person) or owns_any_term(person)
