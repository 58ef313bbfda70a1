"""Blog entries for other apps' pages (a profile, a community), read as the viewer may see them."""

from django import template

from kollega.content.blogs import services

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_entries_by(context, person, limit: int = 5):
    """The newest published entries `person` wrote that the signed-in viewer may see."""
    viewer = context.get("me")
    return list(services.entries_by(viewer, person)[:limit]) if viewer else []


@register.simple_tag(takes_context=True)
def latest_community_entries(context, community, limit: int = 5):
    """The newest entries of `community`'s blog that the signed-in viewer may see."""
    viewer = context.get("me")
    return list(services.blog_entries(viewer, community=community)[:limit]) if viewer else []
