"""What every page may show: the navigation's counts, and the product's limits."""

from kollega import limits as product_limits
from kollega.network.services import pending_invitations_for
from kollega.notifications.services import unread_count
from kollega.permissions.listening import may_use_inbox


def navigation(request):
    """Counts for the top bar of a signed-in person."""
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if person is None:
        return {}
    return {
        "me": person,
        "unread_notifications": unread_count(person),
        "pending_invitations": pending_invitations_for(person).count(),
        # Called by the template only where the menu asks (a query or two, on each page):
        # the listening team, and the owners of watch terms (their terms' mentions).
        "may_listen": lambda: may_use_inbox(person),
    }


def limits(request):
    """`{{ limits.SEARCH_QUERY_MAX_CHARS }}`: a field's `maxlength` is the service's limit."""
    return {"limits": product_limits}
