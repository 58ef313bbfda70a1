"""Who may read the audit trail: staff (administrators) only, and only while active."""


def can_read_audit_trail(person) -> bool:
    """True if `person` may open /audit/ and export the trail."""
    return person is not None and person.user.is_active and person.user.is_staff
