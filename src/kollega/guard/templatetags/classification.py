"""`{% classification_badge item %}`: an item's level as a small badge, in one place.

Loaded for every template (settings.TEMPLATES builtins). Internal, the default,
shows nothing; Open, Confidential and Strictly confidential each look different
(kollega.css), with the administrator's name for the level.
"""

from django import template

from kollega.guard.classification import Level, key_of, name_of

register = template.Library()


@register.inclusion_tag("guard/_badge.html")
def classification_badge(item) -> dict:
    """The badge of `item` (anything with a `classification`, or a level); none for Internal."""
    level = getattr(item, "classification", item)
    if level is None or level == "" or int(level) == Level.INTERNAL:
        return {"level": None}
    return {"level": int(level), "key": key_of(level), "name": name_of(level)}
