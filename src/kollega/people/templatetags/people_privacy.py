"""`{% shown_office person as office %}`: a colleague's office as the viewer may see it.

For person cards and lists, where the view does not prepare each person: the
viewer's lens (`permissions.privacy.lens_for`) is made once per request.
"""

from django import template

from kollega.permissions.privacy import lens_for

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_office(context, person):
    """`person.office`, or None when they keep their location from the viewer."""
    request = context.get("request")
    if request is None:
        return None
    return lens_for(request).office(person)
