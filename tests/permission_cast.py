"""The one cast of the permission matrices (tests/test_permission_matrix*.py), the
relationships their tables assume, and the community tables.

The cast around a post (`cast`, columns WHO):

- author: Anna, who writes every post, blog entry and bookmark;
- board_owner: Bjørn, on whose board the "colleague's board" posts are written. For posts
  on Anna's own board Anna is the board owner, and Bjørn is just another colleague;
- author_contact: Carla, a contact of Anna only;
- board_owner_contact: Dag, a contact of Bjørn only;
- stranger: Eva, nobody's contact;
- former_contact: Gustav, a contact of both Anna and Bjørn until they ended it (before
  anything was written); he sees what a stranger sees;
- deactivated: Frej, a contact of both Anna and Bjørn who has left.

The cast around a community (`c_cast`, columns C_WHO):

- owner: Ola, who made the community;
- member: Maja, who writes in it;
- non_member: Nils, a colleague outside it, a contact of both Ola and Maja (being a
  contact of its people opens nothing in a restricted community);
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

CONTACTS, C_CONTACTS and C_STANDING are what the tables assume of the cast; the
matrix checks them by asking the product (`contacts_among`, `standing_in`), so a
change to the cast that the tables do not follow fails there.
"""

from django.core.exceptions import ValidationError

from kollega.communities import services as communities
from kollega.communities.models import Community, Membership
from kollega.network.services import are_contacts, connect, remove_contact
from kollega.people.models import Person
from kollega.people.tests.factories import deactivate, make_person
from kollega.permissions import NotFound

Y, N = True, False

# --- Around a post ----------------------------------------------------------------------

WHO = (
    "author", "board_owner", "author_contact", "board_owner_contact", "stranger",
    "former_contact", "deactivated",
)  # fmt: skip

CONTACTS = {
    frozenset(pair)
    for pair in (
        ("author", "author_contact"),
        ("board_owner", "board_owner_contact"),
        ("author", "deactivated"),
        ("board_owner", "deactivated"),
    )
}


def make_cast() -> dict[str, Person]:
    people = {
        "author": make_person("Anna Lindqvist", "anna"),
        "board_owner": make_person("Bjørn Hansen", "bjorn"),
        "author_contact": make_person("Carla Smith", "carla"),
        "board_owner_contact": make_person("Dag Berg", "dag"),
        "stranger": make_person("Eva Ek", "eva"),
        "former_contact": make_person("Gustav Alm", "gustav"),
        "deactivated": make_person("Frej Nord", "frej"),
    }
    connect(people["author"], people["author_contact"])
    connect(people["board_owner"], people["board_owner_contact"])
    for friend in ("author", "board_owner"):
        connect(people[friend], people["former_contact"])
        remove_contact(people[friend], people["former_contact"])
    connect(people["author"], people["deactivated"])
    connect(people["board_owner"], people["deactivated"])
    deactivate(people["deactivated"])
    return people


# --- Around a community -----------------------------------------------------------------

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

C_CONTACTS = {frozenset(("non_member", "owner")), frozenset(("non_member", "member"))}

# Where each of the cast stands once the changes are made (after_the_changes).
C_STANDING = {
    "owner": "owner",
    "member": "member",
    "non_member": "outside",
    "removed_member": "outside",
    "left_member": "outside",
    "invitee": "invited",
    "deactivated": "member, left the organisation",
}


def make_community_cast() -> dict[str, Person]:
    people = {
        "owner": make_person("Ola Dahl", "ola"),
        "member": make_person("Maja Lund", "maja"),
        "non_member": make_person("Nils Holm", "nils"),
        "removed_member": make_person("Rut Strand", "rut"),
        "left_member": make_person("Lo Berg", "lo"),
        "invitee": make_person("Ivar Ek", "ivar"),
        "deactivated": make_person("Dina Vik", "dina"),
    }
    connect(people["non_member"], people["owner"])
    connect(people["non_member"], people["member"])
    return people


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


# --- What the tables assume, asked of the product ----------------------------------------


def contacts_among(cast: dict[str, Person]) -> set[frozenset[str]]:
    """Every pair of the cast who are contacts, by their roles."""
    roles = list(cast)
    return {
        frozenset((a, b))
        for i, a in enumerate(roles)
        for b in roles[i + 1 :]
        if are_contacts(cast[a], cast[b])
    }


def standing_in(cast: dict[str, Person], community: Community) -> dict[str, str]:
    """Where each of the cast stands in `community`: owner, member, invited or outside."""
    out = {}
    for who, person in cast.items():
        person = Person.objects.select_related("user").get(pk=person.pk)
        role = (
            Membership.objects.filter(community=community, person=person)
            .values_list("role", flat=True)
            .first()
        )
        if role is None:
            try:
                communities.invitation_for(person, community)
                role = "invited"
            except ValidationError:
                role = "outside"
        out[who] = role if person.user.is_active else f"{role}, left the organisation"
    return out


def reaches(access, viewer, *args) -> bool:
    """True if the access function `access` (e.g. `visible_post`) lets `viewer` reach the
    object, False if it answers NotFound: the matrices' cell for an access function."""
    try:
        access(viewer, *args)
    except NotFound:
        return False
    return True
