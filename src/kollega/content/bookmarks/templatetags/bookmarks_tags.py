"""Bookmarks for other apps' pages (a profile, a community), read as the viewer may see them."""

from django import template

from kollega.content.bookmarks import services

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_bookmarks_of(context, person, limit: int = 5):
    """The newest links `person` saved that the signed-in viewer may see."""
    viewer = context.get("me")
    if not viewer:
        return []
    return services.annotate_saved_by(viewer, services.bookmarks_of(viewer, person)[:limit])


@register.simple_tag(takes_context=True)
def community_bookmarks(context, community, limit: int = 5):
    """(popular, newest) links shared with `community`, as the signed-in viewer sees them."""
    viewer = context.get("me")
    if not viewer:
        return [], []
    popular = services.popular_in_community(viewer, community, limit=limit)
    recent = services.annotate_saved_by(
        viewer, services.recent_bookmarks(viewer, community=community)[:limit]
    )
    return popular, recent
