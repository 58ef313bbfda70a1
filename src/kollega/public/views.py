"""The pages a visitor reads without signing in: a person's public profile and blog, and
the blog's Atom feed (docs/public.md). Thin: `public.services` decides what is shown.

Every view here is opened to visitors (`public_page`), and only these: every other page
still needs sign-in (`web.middleware.SignInRequiredMiddleware`). While the site's
`KOLLEGA_PUBLIC_PAGES` is off they are closed like every other page. Shared caches may
keep an answer to a visitor briefly; one to a signed-in colleague stays private.
"""

import functools
import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from kollega.content.blogs.feeds import atom_feed
from kollega.permissions import NotFound
from kollega.permissions.public import public_pages_on
from kollega.public import services
from kollega.web.files import stored_file_response

# How long a shared cache (a proxy) may keep a public page: a change, or the pages
# being switched off, reaches every visitor within this time.
PUBLIC_CACHE_SECONDS = 300


def public_page(view):
    """Open `view` to visitors without sign-in while the site allows public pages."""

    @login_not_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        signed_in = request.user.is_authenticated
        if not public_pages_on():
            if signed_in:
                raise NotFound
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        if signed_in:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
        return response

    return wrapper


def _entry_url(entry) -> str:
    return reverse("public_entry", args=[entry.author.handle, entry.pk])


def _context(person, **more) -> dict:
    return {
        "person": person,
        "feed_url": reverse("public_feed", args=[person.handle]),
        "photo_url": reverse("public_photo", args=[person.handle]) if person.photo else "",
        **more,
    }


@public_page
def profile(request, username: str):
    """A person's public profile: name, photo, title, department, about, newest entries."""
    person = services.public_person(username)
    entries = services.public_entries(person)[:5]
    return render(request, "public/profile.html", _context(person, entries=entries))


@public_page
def blog(request, username: str):
    """A person's public blog: their Open entries for the public, newest first."""
    person = services.public_person(username)
    entries = services.public_entries(person)
    return render(request, "public/blog.html", _context(person, entries=entries))


@public_page
def entry(request, username: str, entry_id: int):
    """One public entry: its text, without the colleagues' comments or recommendations."""
    person = services.public_person(username)
    found = services.public_entry(person, entry_id)
    context = _context(person, entry=found, body_html=services.public_html(found))
    return render(request, "public/entry.html", context)


@public_page
def feed(request, username: str):
    """The Atom feed of a person's public blog, with absolute links to the public pages."""
    person = services.public_person(username)
    return atom_feed(
        request,
        _("%(name)s's blog") % {"name": person.name},
        reverse("public_blog", args=[person.handle]),
        services.public_entries(person),
        entry_url=_entry_url,
        entry_html=services.public_html,
    )


@public_page
def photo(request, username: str):
    """The photo of a person with public pages (through `web.files`, like every upload)."""
    person = services.public_photo(username)
    content_type = mimetypes.guess_type(person.photo.name)[0] or ""
    if not content_type.startswith("image/"):
        raise Http404
    return stored_file_response(
        person.photo, content_type, cache=f"public, max-age={PUBLIC_CACHE_SECONDS}"
    )
