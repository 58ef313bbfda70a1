"""Visibility of posts, their comments and the notifications that point at them.

A post's audience decides who may see it:

- organisation: every colleague;
- public: every colleague, as organisation (a blog entry also readable without
  sign-in, under the rules of `permissions.public`);
- network: the author, the board owner and the author's contacts;
- board: the author, the board owner and the board owner's contacts;
- community: every colleague for open and moderated communities, and only the
  current members for restricted ones — not even the author once they are
  removed. The rule is `permissions.communities.readable_communities_filter`,
  read on every request, so a removal takes effect at once (streams, pages,
  the API and the notifications pointing at the post);
- the post's classification caps each of these (`permissions.classification`):
  beyond what its audience may carry — Confidential to the organisation or an
  open community, Strictly confidential to a network or a board — only the
  author and the board's owner see it, or in a community its current members.

The same rule is expressed once as a query filter (`visible_filter`) and
reused for single objects (`can_see_post`), so a page, the API and the stream
can never disagree.
"""

from django.db.models import Q

from kollega.network.models import Contact
from kollega.permissions import classification as cap
from kollega.permissions.communities import community_content_filter
from kollega.posts.models import Audience

NOT_COMMUNITY = [a for a in Audience.values if a != Audience.COMMUNITY]
EVERY_COLLEAGUE = [Audience.ORGANISATION, Audience.PUBLIC]


def _contacts_of(person):
    return Contact.objects.filter(person=person).values("contact_id")


def visible_filter(person, prefix: str = "") -> Q:
    """A Q object selecting the posts `person` may see (`prefix` for related lookups)."""
    if person is None or not person.user.is_active:
        return Q(pk__in=[])
    p = prefix
    contacts = _contacts_of(person)
    personal = (
        Q(**{f"{p}author": person})
        | Q(**{f"{p}board_owner": person})
        | (Q(**{f"{p}audience__in": EVERY_COLLEAGUE}) & cap.within_cap(cap.ORGANISATION, p))
        | (
            Q(**{f"{p}audience": Audience.NETWORK, f"{p}author__in": contacts})
            & cap.within_cap(cap.NETWORK, p)
        )
        | (
            Q(**{f"{p}audience": Audience.BOARD, f"{p}board_owner__in": contacts})
            & cap.within_cap(cap.BOARD, p)
        )
    )
    return (Q(**{f"{p}audience__in": NOT_COMMUNITY}) & personal) | (
        Q(**{f"{p}audience": Audience.COMMUNITY}) & community_content_filter(person, p)
    )


def can_see_post(person, post) -> bool:
    """True if `person` may see `post` (and so its comments and recommendations)."""
    from kollega.posts.models import Post

    return Post.objects.filter(pk=post.pk).filter(visible_filter(person)).exists()
