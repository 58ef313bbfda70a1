"""Who may see a colleague's contacts, phone number and location, and who appears in
"Who knows?": each person's privacy settings (`/settings/privacy/`), read here only.

Every read path asks these functions: the profile page, person cards (directory,
tag pages, contact lists), the API's person schemas, the directory's office
filter, "who knows" and question routing. The rule for each part of a profile
is one of `Person.SeenBy`:

- everyone: every signed-in, active colleague;
- contacts: the person's contacts;
- only me: nobody else.

Oneself always sees everything of one's own. Nobody signed out or deactivated
sees any of it (a public page, if the organisation has one, shows none of it).
Administrators see everything in the admin site, which is theirs.

A person's contacts covers the list and its count, the contacts the viewer
shares with them and the chain of introductions to them: each of those names
who the person's contacts are. The same contact can still be seen on the other
side's list, if that colleague shows theirs: a contact belongs to both.

"Who knows?" (`in_who_knows`) and recommendations (`in_recommendations`) are a
yes or no: a person who says no is never proposed to others, by the expertise
ranking (who knows, and the colleagues a question is routed to) or by
recommendations of people (`recommendable_filter`, in `recommendations/services.py`).
"""

from django.db.models import Q

from kollega.network.models import Contact
from kollega.people.models import Person

SeenBy = Person.SeenBy

# The settings a person sets on /settings/privacy/ and through PUT /api/v1/me/privacy.
PRIVACY_FIELDS = (
    "contacts_seen_by",
    "phone_seen_by",
    "location_seen_by",
    "in_who_knows",
    "in_recommendations",
)


class PrivacyLens:
    """What one viewer may see of other people's private parts, for many people.

    The viewer's contacts are read once, on the first person who keeps a part to
    their contacts, so a page of 24 person cards costs one query, not 24.
    """

    def __init__(self, viewer: Person | None):
        self.viewer = viewer
        self._contacts: set[int] | None = None

    def _is_contact(self, person: Person) -> bool:
        if self._contacts is None:
            self._contacts = set(
                Contact.objects.filter(person=self.viewer).values_list("contact_id", flat=True)
            )
        return person.pk in self._contacts

    def may_see(self, person: Person, seen_by: str) -> bool:
        """May the viewer see a part of `person` that `person` shows to `seen_by`?"""
        viewer = self.viewer
        if viewer is None or viewer.pk is None or not viewer.user.is_active:
            return False
        if viewer.pk == person.pk or seen_by == SeenBy.EVERYONE:
            return True
        if seen_by == SeenBy.CONTACTS:
            return self._is_contact(person)
        return False

    def contacts(self, person: Person) -> bool:
        return self.may_see(person, person.contacts_seen_by)

    def phone(self, person: Person) -> bool:
        return self.may_see(person, person.phone_seen_by)

    def location(self, person: Person) -> bool:
        return self.may_see(person, person.location_seen_by)

    def office(self, person: Person):
        """`person.office` if the viewer may see it, else None."""
        return person.office if person.office_id and self.location(person) else None


def lens_for(request) -> PrivacyLens:
    """The viewer's lens for this request, made once (pages and the API alike)."""
    lens = getattr(request, "_privacy_lens", None)
    if lens is None:
        viewer = getattr(request, "auth", None)
        if not isinstance(viewer, Person):
            viewer = getattr(getattr(request, "user", None), "person", None)
        lens = PrivacyLens(viewer)
        request._privacy_lens = lens
    return lens


def may_see_contacts(viewer: Person | None, person: Person) -> bool:
    """May `viewer` see who `person`'s contacts are (the list, its count, the contacts
    they share, the chain of introductions)?"""
    return PrivacyLens(viewer).contacts(person)


def may_see_phone(viewer: Person | None, person: Person) -> bool:
    """May `viewer` see `person`'s phone number?"""
    return PrivacyLens(viewer).phone(person)


def may_see_location(viewer: Person | None, person: Person) -> bool:
    """May `viewer` see `person`'s office and its city?"""
    return PrivacyLens(viewer).location(person)


def _seen_by_filter(viewer: Person | None, field: str, prefix: str = "") -> Q:
    """People (a Q on Person, or on a path to one through `prefix`) who show `field`
    to `viewer`."""
    if viewer is None or viewer.pk is None or not viewer.user.is_active:
        return Q(pk__in=[])
    return (
        Q(**{f"{prefix}pk": viewer.pk})
        | Q(**{f"{prefix}{field}": SeenBy.EVERYONE})
        | Q(
            **{
                f"{prefix}{field}": SeenBy.CONTACTS,
                f"{prefix}pk__in": Contact.objects.filter(contact=viewer).values("person_id"),
            }
        )
    )


def contacts_visible_filter(viewer: Person | None, prefix: str = "") -> Q:
    """People whose contacts `viewer` may see (the list, its count and the contacts they
    share): the rule of `PrivacyLens.contacts` as a query filter, so a recommendation
    of people never counts, nor says, the shared contacts of someone who keeps them."""
    return _seen_by_filter(viewer, "contacts_seen_by", prefix)


def location_visible_filter(viewer: Person | None, prefix: str = "") -> Q:
    """People whose location `viewer` may see: what a filter by office may match, so
    that a hidden office cannot be found by searching for it."""
    return _seen_by_filter(viewer, "location_seen_by", prefix)


def who_knows_filter(prefix: str = "") -> Q:
    """People who appear in "Who knows?" and the colleagues a question is routed to."""
    return Q(**{f"{prefix}in_who_knows": True})


def hidden_from_who_knows(viewer: Person | None) -> set[int]:
    """The people `viewer` must not be proposed as knowing: everyone who said no
    (a short list: a yes is the default). Oneself is never proposed to oneself anyway."""
    return set(Person.objects.filter(in_who_knows=False).order_by().values_list("pk", flat=True))


def recommendable_filter(prefix: str = "") -> Q:
    """People who may be recommended to colleagues. Every recommendation of people
    (they come with the mail digests) must select through this."""
    return Q(**{f"{prefix}in_recommendations": True})
