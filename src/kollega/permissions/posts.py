"""Visibility of posts, their comments and the notifications that point at them.

A post's audience decides who may see it:

- organisation: every colleague;
- network: the author, the board owner and the author's contacts;
- board: the author, the board owner and the board owner's contacts;
- community: every colleague for open and moderated communities, and only the
  current members for restricted ones — not even the author once they are
  removed. The rule is `permissions.communities.readable_communities_filter`,
  read on every request, so a removal takes effect at once (streams, pages,
  the API and the notifications pointing at the post).

The same rule is expressed once as a query filter (`visible_filter`) and
reused for single objects (`can_see_post`), so a page, the API and the stream
can never disagree.
"""

from django.db.models import Q

from kollega.communities.models import Community, Membership
from kollega.network.models import Contact
from kollega.permissions.communities import PUBLIC_KINDS, readable_communities_filter
from kollega.posts.models import Audience

NOT_COMMUNITY = [a for a in Audience.values if a != Audience.COMMUNITY]


def _contacts_of(person):
    return Contact.objects.filter(person=person).values("contact_id")


def visible_filter(person, prefix: str = "") -> Q:
    """A Q object selecting the posts `person` may see (`prefix` for related lookups)."""
    if person is None or not person.user.is_active:
        return Q(pk__in=[])
    p = prefix
    contacts = _contacts_of(person)
    personal = (
        Q(**{f"{p}audience": Audience.ORGANISATION})
        | Q(**{f"{p}author": person})
        | Q(**{f"{p}board_owner": person})
        | Q(**{f"{p}audience": Audience.NETWORK, f"{p}author__in": contacts})
        | Q(**{f"{p}audience": Audience.BOARD, f"{p}board_owner__in": contacts})
    )
    readable = Community.objects.filter(readable_communities_filter(person)).values("pk")
    return (Q(**{f"{p}audience__in": NOT_COMMUNITY}) & personal) | Q(
        **{f"{p}audience": Audience.COMMUNITY, f"{p}community__in": readable}
    )


def can_see_post(person, post) -> bool:
    """True if `person` may see `post` (and so its comments and recommendations)."""
    from kollega.posts.models import Post

    return Post.objects.filter(pk=post.pk).filter(visible_filter(person)).exists()


def audience_of(post):
    """The people who may see `post`, as a Person queryset (for notifications fan-out)."""
    from kollega.people.models import Person

    if post.audience == Audience.ORGANISATION:
        return Person.objects.active()
    if post.audience == Audience.COMMUNITY:
        if post.community.kind in PUBLIC_KINDS:
            return Person.objects.active()
        members = Membership.objects.filter(community_id=post.community_id)
        return Person.objects.active().filter(pk__in=members.values("person_id"))
    owner = post.author_id if post.audience == Audience.NETWORK else post.board_owner_id
    return Person.objects.active().filter(
        Q(pk__in=[post.author_id, post.board_owner_id])
        | Q(pk__in=Contact.objects.filter(person_id=owner).values("contact_id"))
    )
