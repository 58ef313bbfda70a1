"""Classification levels: how confidential an item is, and so how far it may go.

Posts (and the questions and blog entries they stand for), blog drafts, wiki
pages, bookmarks and communities carry a level. A community's level is the
floor for what is written in it. The audience each level allows, and the read
rule that follows from it, live in the permission module.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Ranked: a higher level never reaches a wider audience than a lower one."""

    OPEN = 0, _("Open")
    INTERNAL = 1, _("Internal")
    CONFIDENTIAL = 2, _("Confidential")
    STRICTLY_CONFIDENTIAL = 3, _("Strictly confidential")


def classification_field():
    """The field every classified model carries (Internal unless said otherwise)."""
    return models.PositiveSmallIntegerField(
        _("classification"), choices=Level.choices, default=Level.INTERNAL
    )
