"""`{% form_once %}`: the hidden one-time token of a form that creates something.

Registered as a builtin (settings.TEMPLATES), so no `{% load %}` is needed.
See `kollega.web.once`.
"""

from django import template
from django.utils.html import format_html

from kollega.web.once import FIELD, new_form_token

register = template.Library()


@register.simple_tag
def form_once() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_form_token())
