"""Classification caps: how far content of each level may go, and so who may read it.

An audience may carry content up to a highest level (`HIGHEST`):

| level                 | may go to                                                     |
|-----------------------|---------------------------------------------------------------|
| Open                  | any audience, the public one too                              |
| Internal              | any audience but the public one                               |
| Confidential          | one's network, a board, a restricted community, only me       |
| Strictly confidential | a restricted community, only me (a private bookmark)          |

"The whole organisation" and an open or moderated community are the same
width: every colleague reads them, so neither carries Confidential content.
There is no audience of named people for posts; Strictly confidential
content goes to a restricted community (whose members are the named people)
or stays with its author.

- A community's classification is the floor for what is written in it:
  content there defaults to it and cannot be classified lower. A community
  classified Confidential or higher must be restricted.
- A wiki page takes its wiki's audience: the organisation's wiki is the whole
  organisation, a community's wiki is that community.
- New content is classified as its community, otherwise Internal.

Writes are checked with `checked_level` (a clear error, nothing saved). Reads
apply the same table (`within_cap`) in every visibility filter of this
module (posts, and so questions and blog entries; bookmarks; wiki pages;
search, notifications and expertise evidence through them), so content whose
community changed later, or that was imported, never reaches further than its
level allows: beyond the cap only its author (and the board's owner) — for
community content, the community's current members — still see it.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollega.guard.classification import BY_KEY, Level, name_of

PUBLIC = "public"
ORGANISATION = "organisation"
NETWORK = "network"
BOARD = "board"
PRIVATE = "private"
COMMUNITY = "community"  # resolved to one of the two below by the community's kind
OPEN_COMMUNITY = "open_community"  # open or moderated: every colleague reads it
RESTRICTED_COMMUNITY = "restricted_community"

# The highest level each audience may carry: the one table, for writes and reads.
HIGHEST = {
    PUBLIC: Level.OPEN,
    ORGANISATION: Level.INTERNAL,
    OPEN_COMMUNITY: Level.INTERNAL,
    NETWORK: Level.CONFIDENTIAL,
    BOARD: Level.CONFIDENTIAL,
    RESTRICTED_COMMUNITY: Level.STRICTLY_CONFIDENTIAL,
    PRIVATE: Level.STRICTLY_CONFIDENTIAL,
}

# How an error names each audience ("… cannot go to %(audience)s").
AUDIENCE_NAMES = {
    PUBLIC: gettext_lazy("the public (readable without signing in)"),
    ORGANISATION: gettext_lazy("the whole organisation"),
    OPEN_COMMUNITY: gettext_lazy("an open or moderated community (every colleague reads it)"),
    NETWORK: gettext_lazy("your network"),
    BOARD: gettext_lazy("a board"),
    RESTRICTED_COMMUNITY: gettext_lazy("a restricted community"),
    PRIVATE: gettext_lazy("only you"),
}

# A community classified this or higher must be restricted.
RESTRICTED_FROM = Level.CONFIDENTIAL


def audience_of(audience: str, community=None) -> str:
    """The key of `HIGHEST` for a post's, bookmark's or wiki's `audience` (and community)."""
    if audience == COMMUNITY or community is not None:
        if community is not None and community.is_restricted:
            return RESTRICTED_COMMUNITY
        return OPEN_COMMUNITY
    return audience


def highest_level(audience: str, community=None) -> Level:
    """The highest level `audience` may carry ("public": Open only)."""
    return HIGHEST[audience_of(audience, community)]


def allows(level: int, audience: str, community=None) -> bool:
    """True if content of `level` may go to `audience` (e.g. allows(OPEN, "public"))."""
    return int(level) <= highest_level(audience, community)


def allowed_audiences(level: int) -> list[str]:
    """The audiences (keys of `HIGHEST`) content of `level` may go to."""
    return [audience for audience, highest in HIGHEST.items() if int(level) <= highest]


def floor_of(community) -> Level:
    """The lowest level content in `community` may have: the community's own (Open outside)."""
    return Level(community.classification) if community is not None else Level.OPEN


def default_level(community=None) -> Level:
    """A new item's level when its author says none: its community's, otherwise Internal."""
    return floor_of(community) if community is not None else Level.INTERNAL


def parse_level(value) -> Level:
    """A level from its number or its key ('confidential'); an unknown one is a ValidationError."""
    if isinstance(value, str) and value in BY_KEY:
        return BY_KEY[value]
    try:
        return Level(int(value))
    except (TypeError, ValueError):
        raise ValidationError(_("Unknown classification."), code="bad_classification") from None


def checked_level(level, audience: str, community=None, current=None) -> Level:
    """The level an item is saved with, or a ValidationError naming the level and audience.

    `level` None: a new item (`current` None) gets `default_level`; an edited one
    keeps `current`, raised to its community's floor if that rose meanwhile.
    A level below the community's floor, or above what the audience may carry,
    is refused.
    """
    floor = floor_of(community)
    if level is None:
        level = default_level(community) if current is None else max(Level(current), floor)
    level = parse_level(level)
    if level < floor:
        raise ValidationError(
            _(
                "%(community)s is classified “%(floor)s”: what is written in it cannot be "
                "classified lower."
            ),
            params={"community": community.name, "floor": name_of(floor)},
            code="below_community_level",
        )
    if not allows(level, audience, community):
        raise ValidationError(
            _(
                "“%(level)s” content cannot go to %(audience)s. Choose a narrower audience "
                "or a lower classification."
            ),
            params={
                "level": name_of(level),
                "audience": AUDIENCE_NAMES[audience_of(audience, community)],
            },
            code="audience_above_cap",
        )
    return level


def checked_community_level(level, kind: str) -> Level:
    """A community's level for its `kind`: Confidential and higher need a restricted one."""
    from kollega.communities.models import Community

    level = parse_level(Level.INTERNAL if level is None else level)
    if level >= RESTRICTED_FROM and kind != Community.Kind.RESTRICTED:
        raise ValidationError(
            _(
                "A community classified “%(level)s” must be restricted: open and moderated "
                "communities are read by every colleague."
            ),
            params={"level": name_of(level)},
            code="community_not_restricted",
        )
    return level


def within_cap(audience: str, prefix: str = "") -> Q:
    """A Q selecting the items (at `prefix`) whose level `audience` may carry."""
    return Q(**{f"{prefix}classification__lte": int(HIGHEST[audience])})
