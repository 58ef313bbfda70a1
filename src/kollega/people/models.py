import functools
import hashlib
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A unit of the organisation; departments form a tree."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="department_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestry(self) -> list["Department"]:
        """The path from the top of the tree down to this department."""
        chain, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


@functools.cache
def time_zone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted."""
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as Europe/Oslo, or blank."""
    if value and value not in time_zone_names():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class Office(models.Model):
    """A place people work from."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code"))
    # Blank: the site's TIME_ZONE. People in the office share it unless they set their own.
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def active(self) -> "PersonQuerySet":
        return self.filter(user__is_active=True)

    def with_profile_parts(self) -> "PersonQuerySet":
        return self.select_related("user", "department", "office")


class Person(models.Model):
    """A colleague: the sign-in account plus the profile others see."""

    class BoardVisibility(models.TextChoices):
        ORGANISATION = "organisation", _("Everyone in the organisation")
        CONTACTS = "contacts", _("Only my contacts")

    class SeenBy(models.TextChoices):
        """Who may see a part of one's profile (contacts, phone, location); see
        `kollega.permissions.privacy`. Oneself always sees everything of one's own."""

        EVERYONE = "everyone", _("Everyone in the organisation")
        CONTACTS = "contacts", _("Only my contacts")
        ONLY_ME = "only_me", _("Only me")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Comma-separated")
    )
    about = models.TextField(_("about"), blank=True, max_length=4000)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    board_visibility = models.CharField(
        _("who may see my board"),
        max_length=20,
        choices=BoardVisibility.choices,
        default=BoardVisibility.ORGANISATION,
    )
    # Set by an administrator (admin, `kollega people public`); counts only while the
    # site allows public pages (KOLLEGA_PUBLIC_PAGES), see permissions.public.
    public_pages = models.BooleanField(
        _("public pages"),
        default=False,
        help_text=_(
            "Their profile and their Open blog entries for the public are readable "
            "without signing in, when the site allows public pages."
        ),
    )
    # Privacy settings (/settings/privacy/, kollega.permissions.privacy); the defaults
    # are what everyone saw before the settings existed.
    contacts_seen_by = models.CharField(
        _("who may see my contacts"),
        max_length=20,
        choices=SeenBy.choices,
        default=SeenBy.EVERYONE,
    )
    phone_seen_by = models.CharField(
        _("who may see my phone number"),
        max_length=20,
        choices=SeenBy.choices,
        default=SeenBy.EVERYONE,
    )
    location_seen_by = models.CharField(
        _("who may see my office and city"),
        max_length=20,
        choices=SeenBy.choices,
        default=SeenBy.EVERYONE,
    )
    in_who_knows = models.BooleanField(_("show me in “Who knows?”"), default=True)
    # Recommendations of people (recommendations/services.py) honour this.
    in_recommendations = models.BooleanField(_("suggest me to colleagues"), default=True)
    language = models.CharField(
        _("interface language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    # Blank: their office's, else the site's (people.services.time_zone_of). Digests go
    # out at their local morning and routed questions wait their working hours.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Leave blank to use your office's time zone."),
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # When a signed-in request last came from them (to the half hour, see people.presence).
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        # Name, then id: colleagues who share a name keep one place in a paged list.
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # The directory's first page reads the first names in order instead of sorting
        # everyone (100,000 people: 62 ms on PostgreSQL before).
        indexes = [
            models.Index(fields=["name", "id"], name="person_by_name"),
            # A photo is served by looking up whose it is (people.views.photo): without
            # this, every avatar on a page read the whole table of 100,000 people.
            models.Index(fields=["photo"], name="person_by_photo"),
            # "Who knows" leaves out the few who said no (permissions.privacy): read from
            # this small index instead of every person on every query.
            models.Index(
                fields=["id"], condition=Q(in_who_knows=False), name="person_not_in_who_knows"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(manager=models.F("id")), name="not_own_manager"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def handle(self) -> str:
        """The name used in @mentions."""
        return self.user.username

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    @property
    def email(self) -> str:
        return self.user.email

    def get_absolute_url(self) -> str:
        return reverse("profile", args=[self.user.username])

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return ("".join(p[0] for p in parts[:1] + parts[-1:]) if parts else "?").upper()

    @property
    def avatar_hue(self) -> int:
        """A stable colour for the generated avatar."""
        return int(hashlib.sha1(self.user.username.encode()).hexdigest()[:4], 16) % 360

    def reporting_chain(self) -> list["Person"]:
        """Managers from this person's own up to the top (cycles cut)."""
        chain, node, seen = [], self.manager, {self.pk}
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.manager
        return chain


class PersonTag(models.Model):
    """A tag on a person, set by themself or by a colleague (who is recorded)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="person_links")
    added_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags_given")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "tag", "added_by"], name="person_tag_once_per_tagger"
            )
        ]
        indexes = [models.Index(fields=["tag", "person"])]

    @property
    def is_self_tag(self) -> bool:
        return self.person_id == self.added_by_id


class DirectoryWord(models.Model):
    """One word of a person's name, user name or job title, for the directory's search
    as you type (`people.directory`): a typed word finds the people with a word that
    starts with it, read from an index instead of every person's name."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # Lower case, accents folded (`directory.words_of`). db_index: on PostgreSQL Django
    # adds a pattern-ops index beside it, which LIKE 'an%' reads.
    word = models.CharField(max_length=150, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "word"], name="directory_word_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.word}"
