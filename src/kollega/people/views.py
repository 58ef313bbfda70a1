"""Profiles, the people directory, tag pages and my data: thin wrappers around services."""

import mimetypes
import secrets
import tempfile

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega import limits
from kollega.communities.services import communities_of
from kollega.network import services as network
from kollega.people import picking, services
from kollega.people.erasure import erase_person
from kollega.people.export import export_person
from kollega.people.forms import DirectoryForm, PrivacyForm, ProfileForm, TagForm
from kollega.permissions.boards import can_post_on_board, can_see_board
from kollega.permissions.privacy import lens_for
from kollega.posts.forms import PostForm
from kollega.posts.services import board_posts, recommended_ids, tagged_posts
from kollega.recommendations.services import profile_recommendations
from kollega.tags.models import Tag
from kollega.tags.services import tag_key
from kollega.web.files import stored_file_response
from kollega.web.helpers import current_person, is_htmx, report_error


def directory(request):
    """Find colleagues by name, department, office and tag (results update as you type)."""
    form = DirectoryForm(request.GET or None)
    people = services.find_people()
    if form.is_valid():
        people = services.find_people(
            query=form.cleaned_data["q"],
            department=form.cleaned_data["department"],
            office=form.cleaned_data["office"],
            tag=form.cleaned_data["tag"],
            viewer=current_person(request),
        )
    page = Paginator(people, 24).get_page(request.GET.get("page"))
    template = "people/_results.html" if is_htmx(request) else "people/directory.html"
    return render(request, template, {"form": form, "page": page})


def profile(request, username: str, form: PostForm | None = None, status: int = 200):
    """A colleague's profile: who they are, their tags, their network and their board.

    Their contacts, phone and office show as their privacy settings allow the viewer
    (`permissions.privacy`)."""
    viewer = current_person(request)
    person = services.visible_person(viewer, username)
    lens = lens_for(request)
    shows_board = can_see_board(viewer, person)
    shows_contacts = lens.contacts(person)
    posts = list(board_posts(viewer, person).with_comments()[:20]) if shows_board else []
    context = {
        "person": person,
        "chain": person.reporting_chain(),
        "reports": person.reports.active().with_profile_parts()[:20],
        "tags": services.tags_on(person),
        "shows_contacts": shows_contacts,
        "shows_phone": lens.phone(person),
        "office": lens.office(person),
        "contacts": network.contacts_of(person)[:12] if shows_contacts else [],
        "contact_count": network.contacts_of(person).count() if shows_contacts else None,
        "is_me": viewer.pk == person.pk,
        "is_contact": network.are_contacts(viewer, person),
        "following": network.is_following(viewer, person),
        "invitation_sent": network.pending_invitation_between(viewer, person),
        "invitation_received": network.pending_invitation_between(person, viewer),
        "shows_board": shows_board,
        "can_post": can_post_on_board(viewer, person),
        "posts": posts,
        "recommended": recommended_ids(viewer, posts),
        "form": form or PostForm(),
        "tag_form": TagForm(),
        "communities": communities_of(person, viewer),
        "profile_recommendations": profile_recommendations(viewer, person),
    }
    if not context["is_me"] and shows_contacts:
        context["shared"] = list(network.shared_contacts(viewer, person)[:8])
        context["shared_count"] = network.shared_contacts(viewer, person).count()
        if not context["is_contact"]:
            context["path"] = network.path_between(viewer, person)
    return render(request, "people/profile.html", context, status=status)


@require_POST
def tag_person(request, username: str):
    """Put tags on a colleague (or on oneself)."""
    actor = current_person(request)
    person = services.visible_person(actor, username)
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            services.tag_person(actor, person, form.names())
            messages.success(request, _("Tags added."))
        except ValidationError as error:
            report_error(request, error)
    else:
        messages.error(request, _("Give at least one tag."))
    return redirect(person.get_absolute_url())


@require_POST
def remove_tag(request, username: str, tag: str):
    """Remove a tag from oneself, or take back a tag one gave a colleague."""
    actor = current_person(request)
    person = services.visible_person(actor, username)
    tag_obj = get_object_or_404(Tag, name=tag)
    try:
        services.remove_person_tag(actor, person, tag_obj)
        messages.success(request, _("Tag removed."))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(person.get_absolute_url())


def edit_profile(request):
    """Edit one's own profile."""
    person = current_person(request)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=person)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            services.update_profile(person, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect(person.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "people/edit_profile.html", {"form": form}, status=status)


def avatar(request, username: str):
    """A generated avatar with the person's initials, for people without a photo."""
    person = services.visible_person(getattr(request.user, "person", None), username)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img">'
        f'<rect width="64" height="64" rx="32" fill="hsl({person.avatar_hue},45%,42%)"/>'
        '<text x="32" y="41" font-family="sans-serif" font-size="24" fill="#fff" '
        f'text-anchor="middle">{escape(person.initials)}</text></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def photo(request, name: str):
    """A colleague's photo, for any signed-in colleague (never to someone signed out).

    Only a file that is an active colleague's photo: nothing else under MEDIA_ROOT
    is reachable from this address.
    """
    person = services.person_with_photo(current_person(request), name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    return stored_file_response(person.photo, content_type, cache="private, max-age=86400")


def tag_page(request, name: str):
    """Everyone tagged with a tag, and the posts carrying it that the viewer may see."""
    viewer = current_person(request)
    tag = Tag.objects.filter(name=tag_key(name)).first()
    if tag is None:
        raise Http404
    posts = list(tagged_posts(viewer, tag).with_comments()[:20])
    context = {
        "tag": tag,
        "people": services.people_tagged(tag)[:48],
        "posts": posts,
        "recommended": recommended_ids(viewer, posts),
        "following": viewer.tag_follows.filter(tag=tag).exists(),
    }
    return render(request, "people/tag.html", context)


def privacy(request):
    """My privacy settings: who sees my contacts, phone and location; whether I am
    proposed in "who knows" and in recommendations."""
    person = current_person(request)
    form = PrivacyForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_privacy(person, **{f: form.cleaned_data[f] for f in form.fields})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your privacy settings were saved."))
            return redirect("privacy")
    status = 400 if form.errors else 200
    return render(request, "people/privacy.html", {"form": form}, status=status)


FORM_TOKEN = "people:erase-token"


def my_data(request):
    """Download my data, or go on to delete my account."""
    return render(request, "people/my_data.html", {"person": current_person(request)})


@require_POST
def download_my_data(request):
    """My data as a zip, written to a temporary file (spilled to disk past 8 MB) and sent
    in chunks, so a person with thousands of posts neither fills memory nor waits for
    one huge query."""
    person = current_person(request)
    out = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (FileResponse closes it)
    export_person(person, out)
    out.seek(0)
    name = f"kollega-{person.user.username}-{timezone.now():%Y%m%d}.zip"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")


def delete_my_account(request):
    """Confirm with my user name (and password, if I have one), then erase my account."""
    person = current_person(request)
    user = person.user
    needs_password = user.has_usable_password()
    errors = []
    if request.method == "POST":
        token = request.session.pop(FORM_TOKEN, None)
        given = request.POST.get("form_token", "")
        if not token or not secrets.compare_digest(token, given):
            errors.append(_("This form was already used or has expired; please try again."))
        if request.POST.get("username", "").strip().lower() != user.username:
            errors.append(_("Type your user name exactly to confirm."))
        if needs_password and not user.check_password(request.POST.get("password", "")):
            errors.append(_("The password is not right."))
        if not errors:
            erase_person(person)
            logout(request)
            messages.success(request, _("Your account was deleted."))
            return redirect("login")
    request.session[FORM_TOKEN] = secrets.token_urlsafe(32)
    context = {
        "person": person,
        "needs_password": needs_password,
        "form_token": request.session[FORM_TOKEN],
        "errors": errors,
    }
    return render(request, "people/delete_account.html", context, status=400 if errors else 200)


def pick_people(request):
    """The people picker's suggestions for `q` (an htmx fragment: the listbox's options).

    With `question`, only colleagues the question may be put to, as the send checks
    them: who may see it, not its asker, not already asked, not gone (a question the
    viewer may not see answers 404).
    """
    from kollega.qa.services import may_put_to, visible_question

    person = current_person(request)
    may_be_chosen = None
    question_id = request.GET.get("question", "")
    if question_id:
        if not question_id.isdigit():
            raise Http404
        question = visible_question(person, int(question_id))

        def may_be_chosen(colleague):
            return may_put_to(question, person, colleague)

    typed = request.GET.get("q", "")
    people = picking.pick_people(person, typed, may_be_chosen)
    context = {"people": people, "typed": typed.strip()[: limits.PICKER_QUERY_MAX_CHARS]}
    return render(request, "people/_picker_options.html", context)
