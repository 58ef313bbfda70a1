"""Pages and actions for bookmarks: thin wrappers around bookmarks.services."""

import contextlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kollega.audit.services import record_opened
from kollega.communities.services import my_communities
from kollega.content.bookmarks import services
from kollega.content.bookmarks.forms import BookmarkForm, ImportForm
from kollega.content.bookmarks.models import Bookmark
from kollega.limits import BOOKMARK_IMPORT_MAX_BYTES
from kollega.tags.services import tag_key
from kollega.web.helpers import current_person, person_or_404
from kollega.web.once import submitted_once


def bookmarklet(request) -> str:
    """The `javascript:` link people drag to their toolbar: it opens the save form here,
    filled in with the page they are on."""
    target = request.build_absolute_uri(reverse("save_bookmark"))
    return (
        "javascript:(function(){location.href='" + target + "?url='"
        "+encodeURIComponent(location.href)+'&title='+encodeURIComponent(document.title);})();"
    )


def bookmarks(request):
    """The newest links colleagues saved (of one tag with ?tag=), the tags, the bookmarklet."""
    person = current_person(request)
    tag = tag_key(request.GET.get("tag", ""))
    context = {
        "tag": tag,
        "bookmarks": services.annotate_saved_by(
            person, services.recent_bookmarks(person, tag=tag or None)[:50]
        ),
        "tags": services.tags_of_bookmarks(person),
        "bookmarklet": bookmarklet(request),
    }
    return render(request, "bookmarks/bookmarks.html", context)


def person_bookmarks(request, username: str):
    """The links a colleague saved that I may see."""
    viewer = current_person(request)
    owner = person_or_404(username)
    context = {
        "owner": owner,
        "bookmarks": services.annotate_saved_by(viewer, services.bookmarks_of(viewer, owner)[:100]),
        "tags": services.tags_of_bookmarks(viewer, owner),
        "bookmarklet": bookmarklet(request) if viewer.pk == owner.pk else None,
    }
    return render(request, "bookmarks/person.html", context)


def community_bookmarks(request, slug: str):
    """A community's popular and newest links."""
    viewer = current_person(request)
    community = services.readable_community(viewer, slug)
    context = {
        "community": community,
        "popular": services.popular_in_community(viewer, community, limit=20),
        "bookmarks": services.annotate_saved_by(
            viewer, services.recent_bookmarks(viewer, community=community)[:50]
        ),
    }
    return render(request, "bookmarks/community.html", context)


def _save_from(person, form, bookmark=None) -> Bookmark:
    data = form.cleaned_data
    community = None
    if data["community"]:
        community = services.community_to_share_with(person, data["community"])
    fields = {
        "url": data["url"],
        "title": data["title"],
        "notes": data["notes"],
        "tags": form.tag_names(),
        "audience": data["audience"],
        "community": community if data["audience"] == "community" else None,
    }
    fields["guard_override"] = data["guard_override"]
    fields["classification"] = data["classification"]
    if bookmark is None:
        return services.save_bookmark(person, **fields)
    return services.edit_bookmark(person, bookmark, **fields)


@submitted_once
def save(request):
    """The save form; the bookmarklet opens it with ?url=…&title=… filled in."""
    person = current_person(request)
    initial = {"url": request.GET.get("url", ""), "title": request.GET.get("title", "")}
    form = BookmarkForm(request.POST or None, initial=initial, communities=my_communities(person))
    if request.method == "POST" and form.is_valid():
        try:
            bookmark = _save_from(person, form)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(bookmark.get_absolute_url())
    context = {"form": form, "others": []}
    if not form.is_bound and initial["url"]:
        # A bad address is not shown to others; the form says what is wrong once sent.
        with contextlib.suppress(ValidationError):
            context["others"] = services.annotate_saved_by(
                person, services.who_else_saved(person, initial["url"])[:10]
            )
    status = 400 if form.errors else 200
    return render(request, "bookmarks/save.html", context, status=status)


def bookmark_detail(request, bookmark_id: int):
    """One bookmark, and who else saved the same page."""
    person = current_person(request)
    bookmark = services.visible_bookmark(person, bookmark_id)
    record_opened(person, bookmark, request)
    others = list(services.who_else_saved(person, bookmark.url).exclude(pk=bookmark.pk)[:50])
    context = {
        "bookmark": services.annotate_saved_by(person, [bookmark])[0],
        "others": others,
    }
    return render(request, "bookmarks/bookmark.html", context)


@submitted_once
def edit(request, bookmark_id: int):
    """The owner changes a bookmark."""
    person = current_person(request)
    bookmark = services.editable_bookmark(person, bookmark_id)
    initial = {
        "url": bookmark.url,
        "title": bookmark.title,
        "notes": bookmark.notes,
        "tags": " ".join(t.name for t in bookmark.tags.all()),
        "audience": bookmark.audience,
        "community": bookmark.community.slug if bookmark.community_id else "",
        "classification": bookmark.classification,
    }
    form = BookmarkForm(request.POST or None, initial=initial, communities=my_communities(person))
    if request.method == "POST" and form.is_valid():
        try:
            _save_from(person, form, bookmark)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(bookmark.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"form": form, "bookmark": bookmark, "others": []}
    return render(request, "bookmarks/save.html", context, status=status)


@require_POST
def delete(request, bookmark_id: int):
    """The owner deletes a bookmark."""
    person = current_person(request)
    bookmark = services.visible_bookmark(person, bookmark_id)
    services.delete_bookmark(person, bookmark)
    messages.success(request, _("The bookmark was deleted."))
    return redirect("person_bookmarks", person.handle)


def import_file(request):
    """Import the bookmark file a browser exports: all of it, or nothing with the bad line."""
    person = current_person(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > BOOKMARK_IMPORT_MAX_BYTES:
                raise ValidationError(
                    _("The file is too big: at most %(mb)d MB."),
                    params={"mb": BOOKMARK_IMPORT_MAX_BYTES // (1024 * 1024)},
                )
            report = services.import_bookmarks(
                person, upload.read(), audience=form.cleaned_data["audience"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                ngettext("Imported %(n)d link.", "Imported %(n)d links.", report.saved)
                % {"n": report.saved},
            )
            if report.already_saved:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d link was saved already.",
                        "%(n)d links were saved already.",
                        report.already_saved,
                    )
                    % {"n": report.already_saved},
                )
            if report.skipped:
                lines = ", ".join(str(line) for line, _url in report.skipped[:20])
                messages.warning(
                    request,
                    _("Skipped links that are not web pages (lines %(lines)s).") % {"lines": lines},
                )
            return redirect("person_bookmarks", person.handle)
    status = 400 if form.errors else 200
    return render(request, "bookmarks/import.html", {"form": form}, status=status)


def export_file(request):
    """My bookmarks as a Netscape bookmark file, for any browser to import."""
    person = current_person(request)
    response = HttpResponse(
        services.export_bookmarks(person), content_type="text/html; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="kollega-bookmarks.html"'
    return response
