"""Pages and actions for blogs: thin wrappers around blogs.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kollega.audit.services import record_opened
from kollega.content.blogs import services
from kollega.content.blogs.forms import EntryForm
from kollega.permissions.blogs import can_edit_entry, can_write_on_blog
from kollega.permissions.communities import is_owner
from kollega.permissions.public import has_public_pages, is_public_entry
from kollega.posts.forms import CommentForm
from kollega.posts.services import recommended_ids
from kollega.web.helpers import current_person, person_or_404
from kollega.web.once import submitted_once

ACTIONS = ("draft", "schedule", "publish", "save")


def blogs(request):
    """The newest entries from every blog I may read, and my drafts."""
    person = current_person(request)
    context = {
        "entries": services.newest_entries(person)[:30],
        "drafts": services.my_drafts(person)[:20],
    }
    return render(request, "blogs/blogs.html", context)


def person_blog(request, username: str):
    """A colleague's blog: their entries I may see; their drafts too if it is mine."""
    viewer = current_person(request)
    owner = person_or_404(username)
    context = {
        "owner": owner,
        "entries": services.blog_entries(viewer, author=owner)[:50],
        "drafts": services.unpublished_entries(viewer) if viewer.pk == owner.pk else [],
        "can_write": viewer.pk == owner.pk,
        "feed_url": request.build_absolute_uri(reverse("person_blog_feed", args=[owner.handle])),
        "public_url": reverse("public_blog", args=[owner.handle])
        if has_public_pages(owner)
        else "",
    }
    return render(request, "blogs/blog.html", context)


def community_blog(request, slug: str):
    """A community's blog: its entries; my drafts for it; members may write."""
    viewer = current_person(request)
    community = services.readable_blog(viewer, slug)
    context = {
        "community": community,
        "entries": services.blog_entries(viewer, community=community)[:50],
        "drafts": services.unpublished_entries(viewer, community),
        "can_write": can_write_on_blog(viewer, community),
        "feed_url": request.build_absolute_uri(
            reverse("community_blog_feed", args=[community.slug])
        ),
    }
    return render(request, "blogs/blog.html", context)


def entry_detail(request, entry_id: int):
    """One entry, with its post's recommendations and comments once it is published."""
    person = current_person(request)
    entry = services.visible_entry(person, entry_id)
    record_opened(person, entry, request)
    post = entry.post
    context = {
        "entry": entry,
        "post": post,
        "can_edit": can_edit_entry(person, entry),
        "comments": post.comments.select_related("author__user") if post else [],
        "recommended": recommended_ids(person, [post]) if post else set(),
        "comment_form": CommentForm(),
        "moderates": bool(entry.community_id) and is_owner(person, entry.community),
        "public_url": request.build_absolute_uri(
            reverse("public_entry", args=[entry.author.handle, entry.pk])
        )
        if is_public_entry(entry)
        else "",
    }
    return render(request, "blogs/entry.html", context)


def _form_response(request, form, entry=None, community=None, status=200):
    context = {"form": form, "entry": entry, "community": community}
    return render(request, "blogs/write.html", context, status=status)


@submitted_once
def write(request):
    """Write an entry on my blog, or on a community's (?community=slug)."""
    person = current_person(request)
    slug = request.GET.get("community") or request.POST.get("community") or ""
    community = services.writable_blog(person, slug)
    form = EntryForm(request.POST or None, audiences=services.blog_audiences(person))
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "draft")
        try:
            if action == "schedule" and not form.cleaned_data["publish_at"]:
                raise ValidationError(_("Choose when to publish it."), code="no_time")
            entry = services.write_entry(
                person,
                form.cleaned_data["title"],
                form.cleaned_data["body"],
                tags=form.tag_names(),
                audience=form.cleaned_data["audience"] or "organisation",
                community=community,
                publish=action == "publish",
                publish_at=form.cleaned_data["publish_at"] if action == "schedule" else None,
                guard_override=form.cleaned_data["guard_override"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _MESSAGES[entry.status])
            return redirect(entry.get_absolute_url())
    status = 400 if form.errors else 200
    return _form_response(request, form, community=community, status=status)


_MESSAGES = {
    "draft": gettext_lazy("Saved as a draft: only you can see it."),
    "scheduled": gettext_lazy("Scheduled: it will be published at the time you chose."),
    "published": gettext_lazy("Published."),
}


@submitted_once
def edit(request, entry_id: int):
    """Change an entry; keep it a draft, schedule it or publish it."""
    person = current_person(request)
    entry = services.editable_entry(person, entry_id)
    initial = {
        "title": entry.title,
        "body": entry.body,
        "tags": " ".join(t.name for t in entry.tags.all()),
        "audience": entry.audience,
        "publish_at": entry.publish_at,
        "classification": entry.classification,
    }
    form = EntryForm(
        request.POST or None, initial=initial, audiences=services.blog_audiences(person)
    )
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            services.revise_entry(
                person,
                entry,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.tag_names(),
                audience=form.cleaned_data["audience"] or entry.audience,
                action=action if action in ACTIONS else "save",
                publish_at=form.cleaned_data["publish_at"],
                guard_override=form.cleaned_data["guard_override"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as error:
            entry.refresh_from_db()
            form.add_error(None, error)
        else:
            messages.success(request, _MESSAGES[entry.status])
            return redirect(entry.get_absolute_url())
    status = 400 if form.errors else 200
    return _form_response(request, form, entry=entry, community=entry.community, status=status)


@require_POST
def delete(request, entry_id: int):
    """The author deletes an entry (and its comments)."""
    person = current_person(request)
    entry = services.visible_entry(person, entry_id)
    blog_url = entry.blog_url()
    services.delete_entry(person, entry)
    messages.success(request, _("The entry was deleted."))
    return redirect(blog_url)
