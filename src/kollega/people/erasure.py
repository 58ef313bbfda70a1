"""'Delete my account' and the administrator's erase: personal data gone, threads kept.

What goes: the name (replaced by "Former colleague"), e-mail, phone, title, about,
languages, photo (the file too), department, office, manager, every tag on them
and every tag they set, contacts, follows (both ways), contact invitations, API
tokens, signed-in sessions, notifications, private bookmarks, blog drafts and
scheduled entries, their directory words, search entry and expertise profile.
The account becomes unusable: inactive, no usable password, and renamed
`former-<id>` so that the user name is free for someone else.

What stays, shown as by the former colleague: everything others could already
read and may have replied to or built on — posts (their own board's too),
comments, questions, answers, comments on answers, published blog entries, wiki
revisions, shared bookmarks and community memberships. Deleting those would tear
holes in colleagues' threads; see docs/privacy.md.

Deactivation (`services.deactivate_person`) stays the reversible option; erasure
cannot be undone.
"""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from kollega.people.models import DirectoryWord, Person, PersonTag


def former_username(person: Person) -> str:
    return f"former-{person.user_id}"


def former_name() -> str:
    """ "Former colleague", in the organisation's language (stored, so shown to everyone)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Former colleague")


def _forget_connections(person: Person) -> None:
    from kollega.accounts.models import SignedInSession
    from kollega.api.models import ApiToken
    from kollega.communities.models import CommunityFollow
    from kollega.mail.models import Delivery
    from kollega.network.models import Contact, Invitation, PersonFollow, TagFollow
    from kollega.notifications.models import MailPreference, Notification

    PersonTag.objects.filter(Q(person=person) | Q(added_by=person)).delete()
    Contact.objects.filter(Q(person=person) | Q(contact=person)).delete()
    PersonFollow.objects.filter(Q(follower=person) | Q(followed=person)).delete()
    TagFollow.objects.filter(follower=person).delete()
    CommunityFollow.objects.filter(person=person).delete()
    Invitation.objects.filter(Q(sender=person) | Q(recipient=person)).delete()
    ApiToken.objects.filter(person=person).delete()
    keys = list(SignedInSession.objects.filter(person=person).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    SignedInSession.objects.filter(person=person).delete()
    Notification.objects.filter(recipient=person).delete()
    MailPreference.objects.filter(person=person).delete()
    Delivery.objects.filter(recipient=person).delete()  # the mails to them, with their address


def _forget_private_content(person: Person) -> None:
    from kollega.content.blogs.models import BlogEntry, EntryStatus
    from kollega.content.bookmarks.models import Bookmark, BookmarkAudience

    Bookmark.objects.filter(person=person, audience=BookmarkAudience.PRIVATE).delete()
    BlogEntry.objects.filter(author=person).exclude(status=EntryStatus.PUBLISHED).delete()


def _forget_expertise_and_search(person: Person) -> None:
    from kollega.expertise.models import Profile, ProfileTerm
    from kollega.search.documents import kind_for_model
    from kollega.search.indexing import remove_object

    ProfileTerm.objects.filter(person=person).delete()
    Profile.objects.filter(person=person).delete()
    for kind in kind_for_model(Person):
        remove_object(kind, person.pk)


@transaction.atomic
def erase_person(person: Person) -> Person:
    """Erase `person`'s personal data and make their account unusable, for good.

    Callers check who may do it (the person themself after confirming, or an
    administrator). Returns the erased person.
    """
    person = Person.objects.select_related("user").select_for_update().get(pk=person.pk)
    _forget_connections(person)
    _forget_private_content(person)
    if person.photo:
        person.photo.delete(save=False)
    Person.objects.filter(manager=person).update(manager=None)
    person.name = former_name()
    person.title = person.about = person.phone = person.languages = person.language = ""
    person.photo = ""
    person.department = person.office = person.manager = None
    person.save()
    DirectoryWord.objects.filter(person=person).delete()
    user = person.user
    user.username = former_username(person)
    user.email = user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    _forget_expertise_and_search(person)
    return person


def is_erased(person: Person) -> bool:
    return person.user.username == former_username(person) and not person.user.is_active
