"""Classification levels: how confidential an item is, and so how far it may go.

Posts (and the questions and blog entries they stand for), blog drafts, wiki
pages, bookmarks and communities carry a level. A community's level is the
floor for what is written in it. The audience each level allows, and the read
rule that follows from it, live in the permission module
(`kollega.permissions.classification`).

The administrator may rename the levels per language without code:
`KOLLEGA_CLASSIFICATION_NAMES` is JSON such as
``{"confidential": {"en": "Company confidential", "sv": "Företagshemligt"}}``;
a level or language it does not name keeps the translated default.
"""

import json
import logging

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Level(models.IntegerChoices):
    """Ranked: a higher level never reaches a wider audience than a lower one."""

    OPEN = 0, _("Open")
    INTERNAL = 1, _("Internal")
    CONFIDENTIAL = 2, _("Confidential")
    STRICTLY_CONFIDENTIAL = 3, _("Strictly confidential")


# The level as the API and the settings spell it.
KEYS = {
    Level.OPEN: "open",
    Level.INTERNAL: "internal",
    Level.CONFIDENTIAL: "confidential",
    Level.STRICTLY_CONFIDENTIAL: "strictly_confidential",
}
BY_KEY = {key: level for level, key in KEYS.items()}


def classification_field():
    """The field every classified model carries (Internal unless said otherwise)."""
    return models.PositiveSmallIntegerField(
        _("classification"), choices=Level.choices, default=Level.INTERNAL
    )


def key_of(level: int) -> str:
    """'open', 'internal', 'confidential' or 'strictly_confidential'."""
    return KEYS[Level(level)]


def _configured() -> dict:
    names = getattr(settings, "KOLLEGA_CLASSIFICATION_NAMES", None) or {}
    if isinstance(names, str):
        try:
            names = json.loads(names)
        except ValueError:
            logger.warning("KOLLEGA_CLASSIFICATION_NAMES is not JSON; the defaults are used")
            return {}
    return names if isinstance(names, dict) else {}


def name_of(level: int) -> str:
    """The level's name in the current language: the administrator's, else the default."""
    level = Level(level)
    given = _configured().get(KEYS[level])
    if isinstance(given, dict):
        language = (get_language() or settings.LANGUAGE_CODE or "en").lower()
        for code in (language, language.split("-")[0]):
            if isinstance(given.get(code), str) and given[code].strip():
                return given[code].strip()
    return str(level.label)


def choices() -> list[tuple[int, str]]:
    """(level, name) for a select, lowest first, with the configured names."""
    return [(level.value, name_of(level)) for level in Level]
