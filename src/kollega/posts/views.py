"""Pages and actions for posts: thin wrappers around posts.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollega.audit.services import record_opened
from kollega.communities.services import community_by_id
from kollega.communities.views import community_page
from kollega.people.services import visible_person
from kollega.people.views import profile
from kollega.permissions.communities import is_owner
from kollega.posts import services
from kollega.posts.forms import CommentForm, PostForm
from kollega.web.helpers import current_person, redirect_back, report_error
from kollega.web.once import submitted_once
from kollega.web.views import home


def _person_and_post(request, post_id: int):
    """The signed-in person and the post they asked for; 404 if they may not see it."""
    person = current_person(request)
    return person, services.visible_post(person, post_id)


@require_POST
@submitted_once
def create_post(request):
    """Post from the composer on the home page or on a colleague's board."""
    person = current_person(request)
    form = PostForm(request.POST)
    board_name = request.POST.get("board", "")
    owner = visible_person(person, board_name) if board_name else person
    community = None
    if form.is_valid():
        community = community_by_id(person, form.cleaned_data["community"])
        try:
            services.post_on_board(
                person,
                form.cleaned_data["body"],
                board_owner=owner,
                audience=form.cleaned_data["audience"],
                community=community,
                guard_override=form.cleaned_data["guard_override"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as error:
            form.add_error("body", error)
        except PermissionDenied as error:
            if community is None:
                raise
            form.add_error("body", str(error))  # not a member of the community
    if form.errors:
        if community is not None and request.POST.get("origin") == "community":
            return community_page(request, community.slug, form=form, status=400)
        if not board_name:
            return home(request, form=form, status=400)
        return profile(request, owner.user.username, form=form, status=400)
    messages.success(request, _("Posted."))
    if community is not None and request.POST.get("origin") == "community":
        fallback = community.get_absolute_url()
    else:
        fallback = owner.get_absolute_url() if board_name else "/"
    return redirect_back(request, fallback, referer=True)


def post_detail(request, post_id: int, form: CommentForm | None = None, status: int = 200):
    """One post with all its comments."""
    person, post = _person_and_post(request, post_id)
    record_opened(person, post, request)
    context = {
        "post": post,
        "comments": post.comments.select_related("author__user"),
        "recommended": services.recommended_ids(person, [post]),
        "comment_form": form or CommentForm(),
        "detail": True,
        "moderates": bool(post.community_id) and is_owner(person, post.community),
    }
    return render(request, "posts/post_detail.html", context, status=status)


@require_POST
@submitted_once
def add_comment(request, post_id: int):
    """Reply under a post the person may see."""
    person, post = _person_and_post(request, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_post(
                person,
                post,
                form.cleaned_data["body"],
                guard_override=form.cleaned_data["guard_override"],
            )
        except ValidationError as error:
            form.add_error("body", error)
    if form.errors:
        return post_detail(request, post_id, form=form, status=400)
    return redirect_back(request, post.get_absolute_url(), referer=True)


@require_POST
def toggle_recommendation(request, post_id: int):
    """Recommend a post, or take the recommendation back; htmx swaps the button."""
    person, post = _person_and_post(request, post_id)
    if request.POST.get("action") == "withdraw":
        services.withdraw_recommendation(person, post)
    else:
        services.recommend_post(person, post)
    post.refresh_from_db(fields=["recommendation_count"])
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "posts/_recommend.html",
            {"post": post, "recommended": services.recommended_ids(person, [post])},
        )
    return redirect_back(request, post.get_absolute_url(), referer=True)


@require_POST
def remove_post(request, post_id: int):
    """Delete a post (its author or the board owner)."""
    person, post = _person_and_post(request, post_id)
    services.delete_post(person, post)
    messages.success(request, _("The post was deleted."))
    return redirect("home")


@require_POST
def remove_comment(request, comment_id: int):
    """Delete a comment (its author, the post's author or the board owner)."""
    person = current_person(request)
    comment = services.visible_comment(person, comment_id)
    try:
        services.delete_comment(person, comment)
    except ValidationError as error:
        report_error(request, error)
    return redirect(comment.post.get_absolute_url())
