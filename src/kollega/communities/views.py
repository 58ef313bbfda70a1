"""Community pages and actions: thin wrappers around communities.services.

A community the person may not see answers 404, exactly like one that does
not exist.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.communities import services
from kollega.communities.forms import CommunityForm
from kollega.permissions import NotFound
from kollega.posts.forms import PostForm
from kollega.posts.services import recommended_ids
from kollega.web.helpers import (
    current_person,
    is_htmx,
    person_or_404,
    redirect_back,
    report_error,
)
from kollega.web.once import submitted_once


def directory(request):
    """Communities by recent activity, with rising and sinking marks; search by name or tag."""
    person = current_person(request)
    query = request.GET.get("q", "")
    page = Paginator(services.community_directory(person, query), 24).get_page(
        request.GET.get("page")
    )
    page.object_list = services.mark_trends(page.object_list, person)
    template = (
        "communities/_directory_results.html" if is_htmx(request) else "communities/directory.html"
    )
    return render(request, template, {"page": page, "q": query})


@submitted_once
def create(request):
    """Create a community; the creator becomes its owner."""
    person = current_person(request)
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.create_community(
                person,
                form.cleaned_data["name"],
                form.cleaned_data["description"],
                form.tag_names(),
                form.cleaned_data["kind"],
                guard_override=form.cleaned_data["guard_override"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The community was created."))
            return redirect(community.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "communities/form.html", {"form": form}, status=status)


@submitted_once
def edit(request, slug: str):
    """Owners change the name, description and tags."""
    person = current_person(request)
    community = services.owned_community(person, slug)
    initial = {
        "name": community.name,
        "description": community.description,
        "tags": ", ".join(t.name for t in community.tags.all()),
        "kind": community.kind,
        "classification": community.classification,
    }
    form = CommunityForm(request.POST or None, initial=initial)
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_community(
                person,
                community,
                form.cleaned_data["name"],
                form.cleaned_data["description"],
                form.tag_names(),
                guard_override=form.cleaned_data["guard_override"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(community.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"form": form, "community": community}
    return render(request, "communities/form.html", context, status=status)


def _stream_context(person, community, cursor: str | None = None) -> dict:
    page = services.community_stream(person, community, cursor)
    return {
        "posts": page.posts,
        "next_cursor": page.next_cursor,
        "recommended": recommended_ids(person, page.posts),
        "community": community,
    }


def community_page(request, slug: str, form: PostForm | None = None, status: int = 200):
    """A community: about, its stream (pinned post first), members, and a composer."""
    person = current_person(request)
    community = services.visible_community(person, slug)
    standing = services.standing(person, community)
    context = {
        "community": community,
        "readable": standing["readable"],
        "standing": standing,
        "owner": standing["owner"],
        "requests": services.pending_requests(person, community),
        "form": form or PostForm(),
    }
    if standing["readable"]:
        context.update(_stream_context(person, community))
        members = services.members_of(community)
        context.update(members=members[:12], member_count=members.count())
        context["pinned"] = services.pinned_post(person, community)
    return render(request, "communities/community.html", context, status=status)


def stream_more(request, slug: str):
    """The next page of a community's stream (htmx appends it)."""
    person = current_person(request)
    community = services.readable_community(person, slug)
    try:
        context = _stream_context(person, community, request.GET.get("cursor"))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return render(request, "communities/_stream_page.html", context)


def members(request, slug: str):
    """Everyone in the community; owners manage them here."""
    person = current_person(request)
    community = services.readable_community(person, slug)
    context = {
        "community": community,
        "members": services.members_of(community),
        "owner": services.standing(person, community)["owner"],
        "requests": services.pending_requests(person, community),
    }
    return render(request, "communities/members.html", context)


def log(request, slug: str):
    """Membership changes and moderation, for owners."""
    person = current_person(request)
    community = services.visible_community(person, slug)
    events, moderation = services.membership_log(person, community)
    context = {"community": community, "events": events, "moderation": moderation}
    return render(request, "communities/log.html", context)


# --- actions --------------------------------------------------------------------------------


def _target(request):
    return person_or_404(request.POST.get("username", "").strip().lstrip("@"))


class BadForm(Exception):
    """A form value no page of ours sends (a hand-made request): 400, and nothing changes."""


def _id_in(request, name: str) -> int:
    """The id in form field `name`: a whole number that fits a database id, else BadForm."""
    value = request.POST.get(name, "").strip()
    if not re.fullmatch(r"[0-9]{1,19}", value) or not 0 < int(value) < 2**63:
        raise BadForm(_("This form is incomplete: reload the page and try again."))
    return int(value)


ACTIONS = {
    "join": (lambda p, c, r: services.join_community(p, c), _("Welcome to the community.")),
    "request": (
        lambda p, c, r: services.request_membership(p, c, r.POST.get("message", "")),
        _("Your request was sent to the owners."),
    ),
    "leave": (lambda p, c, r: services.leave_community(p, c), _("You left the community.")),
    "follow": (lambda p, c, r: services.follow_community(p, c), _("You follow the community.")),
    "unfollow": (
        lambda p, c, r: services.unfollow_community(p, c),
        _("You no longer follow the community."),
    ),
    "accept": (
        lambda p, c, r: services.accept_community_invitation(p, services.invitation_for(p, c)),
        _("Welcome to the community."),
    ),
    "decline": (
        lambda p, c, r: services.decline_community_invitation(p, services.invitation_for(p, c)),
        _("Invitation declined."),
    ),
    "invite": (
        lambda p, c, r: services.invite_to_community(p, c, _target(r)),
        _("Invitation sent."),
    ),
    "approve": (
        lambda p, c, r: services.approve_request(
            p, services.request_by_id(p, c, _id_in(r, "request"))
        ),
        _("Request approved."),
    ),
    "refuse": (
        lambda p, c, r: services.refuse_request(
            p, services.request_by_id(p, c, _id_in(r, "request"))
        ),
        _("Request refused."),
    ),
    "remove": (lambda p, c, r: services.remove_member(p, c, _target(r)), _("Member removed.")),
    "make-owner": (lambda p, c, r: services.make_owner(p, c, _target(r)), _("Owner added.")),
    "make-member": (
        lambda p, c, r: services.make_member(p, c, _target(r)),
        _("They are a member again."),
    ),
    "pin": (
        lambda p, c, r: services.pin_post(p, c, services.community_post(p, c, _id_in(r, "post"))),
        _("Post pinned."),
    ),
    "unpin": (lambda p, c, r: services.pin_post(p, c, None), _("Post unpinned.")),
}


@require_POST
def act(request, slug: str, action: str):
    """Join, ask, leave, follow, answer an invitation; owners invite, decide, manage."""
    person = current_person(request)
    community = services.visible_community(person, slug)
    if action not in ACTIONS:
        raise Http404
    do, done = ACTIONS[action]
    try:
        do(person, community, request)
    except BadForm as error:
        return HttpResponseBadRequest(str(error))
    except ValidationError as error:
        report_error(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    else:
        messages.success(request, str(done))
    try:
        services.visible_community(person, slug)
    except NotFound:  # they left a community they may no longer see
        return redirect("communities")
    return redirect_back(request, community.get_absolute_url())


def _moderate(request, slug: str, item, remove) -> None:
    person = current_person(request)
    try:
        remove(person, item, request.POST.get("reason", ""))
    except ValidationError as error:
        report_error(request, error)
        return False
    messages.success(request, _("Removed. The author was told why."))
    return True


@require_POST
def moderate_post(request, slug: str, post_id: int):
    """An owner removes a post from the community, with a reason."""
    person = current_person(request)
    community = services.visible_community(person, slug)
    post = services.community_post(person, community, post_id)
    if not _moderate(request, slug, post, services.remove_post):
        return redirect(post.get_absolute_url())
    return redirect(community.get_absolute_url())


@require_POST
def moderate_comment(request, slug: str, comment_id: int):
    """An owner removes a comment under a community post, with a reason."""
    person = current_person(request)
    community = services.visible_community(person, slug)
    comment = services.community_comment(person, community, comment_id)
    _moderate(request, slug, comment, services.remove_comment)
    return redirect(comment.post.get_absolute_url())
