"""Visibility of questions, and of their answers, votes and referrals.

A question is a post with more structure: whoever may see its post may see the
question and everything under it. There is no second rule here — each function
delegates to `permissions.posts`, so a new audience (a community) reaches
questions with no change in this module.
"""

from django.db.models import Q

from kollega.permissions.posts import can_see_post, visible_filter


def visible_questions_filter(person, prefix: str = "") -> Q:
    """A Q selecting the questions `person` may see (`prefix` for related lookups)."""
    return visible_filter(person, prefix=f"{prefix}post__")


def can_see_question(person, question) -> bool:
    """True if `person` may see `question` (and its answers, votes and referrals)."""
    return can_see_post(person, question.post)
