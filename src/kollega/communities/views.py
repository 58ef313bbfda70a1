"""Community pages and actions: thin wrappers around communities.services.

A community the person may not see answers 404, exactly like one that does
not exist.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.communities import services
from kollega.communities.forms import CommunityForm
from kollega.communities.models import Community
from kollega.permissions.communities import can_read_community, is_owner
from kollega.posts.forms import PostForm
from kollega.posts.models import Comment, Post
from kollega.posts.services import recommended_ids, visible_post
from kollega.web.helpers import current_person, is_htmx, person_or_404, report_error


def _community_or_404(person, slug: str) -> Community:
    community = services.visible_community(person, slug)
    if community is None:
        raise Http404
    return community


def directory(request):
    """Communities by recent activity, with rising and sinking marks; search by name or tag."""
    person = current_person(request)
    query = request.GET.get("q", "")
    page = Paginator(services.community_directory(person, query), 24).get_page(
        request.GET.get("page")
    )
    page.object_list = services.mark_trends(page.object_list)
    template = (
        "communities/_directory_results.html" if is_htmx(request) else "communities/directory.html"
    )
    return render(request, template, {"page": page, "q": query})


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
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The community was created."))
            return redirect(community.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "communities/form.html", {"form": form}, status=status)


def edit(request, slug: str):
    """Owners change the name, description and tags."""
    person = current_person(request)
    community = _community_or_404(person, slug)
    if not is_owner(person, community):
        raise PermissionDenied
    initial = {
        "name": community.name,
        "description": community.description,
        "tags": ", ".join(t.name for t in community.tags.all()),
        "kind": community.kind,
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
    community = _community_or_404(person, slug)
    readable = can_read_community(person, community)
    context = {
        "community": community,
        "readable": readable,
        "standing": services.standing(person, community),
        "owner": is_owner(person, community),
        "requests": services.pending_requests(person, community),
        "form": form or PostForm(),
    }
    if readable:
        context.update(_stream_context(person, community))
        members = services.members_of(community)
        context.update(members=members[:12], member_count=members.count())
        pinned = community.pinned_post_id and visible_post(
            person, community.pinned_post_id, card=True
        )
        context["pinned"] = pinned or None
    return render(request, "communities/community.html", context, status=status)


def stream_more(request, slug: str):
    """The next page of a community's stream (htmx appends it)."""
    person = current_person(request)
    community = _community_or_404(person, slug)
    if not can_read_community(person, community):
        raise Http404
    try:
        context = _stream_context(person, community, request.GET.get("cursor"))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return render(request, "communities/_stream_page.html", context)


def members(request, slug: str):
    """Everyone in the community; owners manage them here."""
    person = current_person(request)
    community = _community_or_404(person, slug)
    if not can_read_community(person, community):
        raise Http404
    context = {
        "community": community,
        "members": services.members_of(community),
        "owner": is_owner(person, community),
        "requests": services.pending_requests(person, community),
    }
    return render(request, "communities/members.html", context)


def log(request, slug: str):
    """Membership changes and moderation, for owners."""
    person = current_person(request)
    community = _community_or_404(person, slug)
    if not is_owner(person, community):
        raise Http404
    events, moderation = services.membership_log(person, community)
    context = {"community": community, "events": events, "moderation": moderation}
    return render(request, "communities/log.html", context)


# --- actions --------------------------------------------------------------------------------


def _target(request):
    return person_or_404(request.POST.get("username", "").strip().lstrip("@"))


def _number(request, field: str) -> int:
    """The id a form sends in `field` (`request`, `post`); anything but a number names
    nothing (0), and gets the action's own "no such …" answer."""
    try:
        return int(request.POST.get(field) or 0)
    except ValueError:
        return 0


def _post_in(community, request) -> Post:
    post = Post.objects.filter(community=community, pk=_number(request, "post")).first()
    if post is None:
        raise Http404
    return post


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
            p, services.request_by_id(p, c, _number(r, "request"))
        ),
        _("Request approved."),
    ),
    "refuse": (
        lambda p, c, r: services.refuse_request(
            p, services.request_by_id(p, c, _number(r, "request"))
        ),
        _("Request refused."),
    ),
    "remove": (lambda p, c, r: services.remove_member(p, c, _target(r)), _("Member removed.")),
    "make-owner": (lambda p, c, r: services.make_owner(p, c, _target(r)), _("Owner added.")),
    "make-member": (
        lambda p, c, r: services.make_member(p, c, _target(r)),
        _("They are a member again."),
    ),
    "pin": (lambda p, c, r: services.pin_post(p, c, _post_in(c, r)), _("Post pinned.")),
    "unpin": (lambda p, c, r: services.pin_post(p, c, None), _("Post unpinned.")),
}


@require_POST
def act(request, slug: str, action: str):
    """Join, ask, leave, follow, answer an invitation; owners invite, decide, manage."""
    person = current_person(request)
    community = _community_or_404(person, slug)
    if action not in ACTIONS:
        raise Http404
    do, done = ACTIONS[action]
    try:
        do(person, community, request)
    except ValidationError as error:
        report_error(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    else:
        messages.success(request, str(done))
    if services.visible_community(person, slug) is None:
        return redirect("communities")
    return redirect(request.POST.get("next") or community.get_absolute_url())


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
    community = _community_or_404(person, slug)
    post = visible_post(person, post_id)
    if post is None or post.community_id != community.pk:
        raise Http404
    if not _moderate(request, slug, post, services.remove_post):
        return redirect(post.get_absolute_url())
    return redirect(community.get_absolute_url())


@require_POST
def moderate_comment(request, slug: str, comment_id: int):
    """An owner removes a comment under a community post, with a reason."""
    person = current_person(request)
    community = _community_or_404(person, slug)
    comment = Comment.objects.select_related("post__community", "author").filter(pk=comment_id)
    comment = comment.first()
    if comment is None or visible_post(person, comment.post_id) is None:
        raise Http404
    if comment.post.community_id != community.pk:
        raise Http404
    _moderate(request, slug, comment, services.remove_comment)
    return redirect(comment.post.get_absolute_url())
