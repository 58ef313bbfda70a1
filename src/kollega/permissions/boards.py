"""Who may see and post on a person's board."""

from kollega.network.models import Contact
from kollega.people.models import Person


def can_see_board(viewer: Person, owner: Person) -> bool:
    """A board is open to the organisation unless its owner keeps it to contacts."""
    if viewer is None or not viewer.user.is_active:
        return False
    if viewer.pk == owner.pk or owner.board_visibility == Person.BoardVisibility.ORGANISATION:
        return True
    return Contact.objects.filter(person=owner, contact=viewer).exists()


def can_post_on_board(author: Person, owner: Person) -> bool:
    """Anyone who may see an active colleague's board may post on it."""
    return owner.user.is_active and can_see_board(author, owner)
