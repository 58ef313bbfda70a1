"""The cast of the community permission matrices (tests/test_permission_matrix*.py).

Everyone around a community, and the two tables of what each of them sees:

- owner: Ola, who made the community;
- member: Maja, who writes in it;
- non_member: Nils, a colleague outside it;
- removed_member: Rut, a member while the content and the notifications were
  made, then removed by the owner;
- left_member: Lo, a member then, who left on her own;
- invitee: Ivar, invited to it and not (yet) answering;
- deactivated: Dina, a member who has left the organisation.

READS is who sees its posts, members, wiki and everything in it: in an open or
moderated community every active colleague, in a restricted one its current
members only. CARDS is who may know the community exists (its name,
description, tags and kind): the same, and in a restricted community also the
colleague with a pending invitation, so they can decide — never more than the
card.
"""

from django.test import Client

from kollega.communities import services as communities
from kollega.communities.models import Community
from kollega.people.models import Person

Y, N = True, False

C_WHO = (
    "owner", "member", "non_member", "removed_member", "left_member", "invitee", "deactivated",
)  # fmt: skip
C_CASES = Community.Kind.values  # open, moderated, restricted

# fmt: off
READS = {
    #                                  owner member non  removed left invitee deact
    "open":       dict(zip(C_WHO, (Y,    Y,     Y,   Y,      Y,   Y,      N), strict=True)),
    "moderated":  dict(zip(C_WHO, (Y,    Y,     Y,   Y,      Y,   Y,      N), strict=True)),
    "restricted": dict(zip(C_WHO, (Y,    Y,     N,   N,      N,   N,      N), strict=True)),
}
CARDS = {
    "open":       READS["open"],
    "moderated":  READS["moderated"],
    "restricted": dict(zip(C_WHO, (Y,    Y,     N,   N,      N,   Y,      N), strict=True)),
}
# fmt: on


def make_community_cast() -> dict[str, Person]:
    from kollega.people.tests.factories import make_person

    return {
        "owner": make_person("Ola Dahl", "ola"),
        "member": make_person("Maja Lund", "maja"),
        "non_member": make_person("Nils Holm", "nils"),
        "removed_member": make_person("Rut Strand", "rut"),
        "left_member": make_person("Lo Berg", "lo"),
        "invitee": make_person("Ivar Ek", "ivar"),
        "deactivated": make_person("Dina Vik", "dina"),
    }


def make_community(cast: dict[str, Person], kind: str, tag: str = "matrixtag") -> Community:
    """A community of `kind` named Matrix: everyone but the outsiders joins (by invitation,
    which works for every kind), and the invitee gets an invitation they leave open."""
    owner = cast["owner"]
    community = communities.create_community(owner, "Matrix", "About.", [tag], kind)
    for who in ("member", "removed_member", "left_member", "deactivated"):
        invitation = communities.invite_to_community(owner, community, cast[who])
        communities.accept_community_invitation(cast[who], invitation)
    communities.invite_to_community(owner, community, cast["invitee"])
    return community


def after_the_changes(cast: dict[str, Person], community: Community) -> None:
    """Once the content is made: one member is removed, one leaves, one leaves the company."""
    communities.remove_member(cast["owner"], community, cast["removed_member"])
    communities.leave_community(cast["left_member"], community)
    deactivate(cast["deactivated"])


def deactivate(person: Person) -> None:
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])


def fresh(person: Person) -> Person:
    """The person as a new request would load them (their account's state now)."""
    return Person.objects.select_related("user").get(pk=person.pk)


def client_for(person: Person) -> Client:
    client = Client()
    # A deactivated account's session is refused by Django's auth backend, as in real use.
    client.force_login(person.user)
    return client
