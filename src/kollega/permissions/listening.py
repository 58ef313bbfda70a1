"""Who may read listening (sources, items, mentions).

What is said outside the firewall is public, but which names the organisation
watches, and what its brand team answers, is not for everyone: listening is
for staff (`is_staff`, who also manage sources in the admin) and for members
of the `listening` group (a Django auth group an administrator fills, e.g. the
brand and customer-care team). A deactivated colleague reads nothing.
"""

LISTENING_GROUP = "listening"


def may_listen(person) -> bool:
    """True if `person` may read listening's sources, items and mentions."""
    if person is None or not person.user.is_active:
        return False
    user = person.user
    return user.is_staff or user.groups.filter(name=LISTENING_GROUP).exists()
