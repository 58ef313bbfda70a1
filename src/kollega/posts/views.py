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
from kollega.posts import editing, services
from kollega.posts.forms import CommentForm, EditForm, PostForm
from kollega.posts.models import EditedKind
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


def edit_page(request, *, initial: dict, save, heading: str, back_url: str, with_title=False):
    """The edit page of anything written: GET shows the form with the text as it is;
    POST calls `save(person, form)` (a service) and goes back, or shows why it was refused
    (400, nothing changed). Shared by posts, comments, questions and answers."""
    person = current_person(request)
    form = EditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form)
        except ValidationError as error:
            form.add_error(
                "title" if error.code in ("empty_title", "title_too_long") else None, error
            )
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(back_url)
    context = {"form": form, "heading": heading, "back_url": back_url, "with_title": with_title}
    return render(request, "posts/edit.html", context, status=400 if form.errors else 200)


def edit_post(request, post_id: int):
    """Change a post's text (its author only)."""
    person, post = _person_and_post(request, post_id)
    editing.check_author(person, post.author_id, _("Only the author may edit this post."))
    # A question or blog entry is edited whole, on its own edit page.
    if post.question_or_none is not None:
        return redirect("edit_question", post.question.pk)
    if post.blog_entry_or_none is not None:
        return redirect("edit_entry", post.blog_entry.pk)
    return edit_body_page(
        request,
        person,
        post,
        editing.edit_post,
        refusal=_("Only the author may edit this post."),
        heading=_("Edit your post"),
        back_url=post.get_absolute_url(),
    )


def edit_body_page(request, person, item, edit, *, refusal: str, heading: str, back_url: str):
    """The edit page of a text that is only a body (a post, a comment, an answer): its author
    changes it through `edit(person, item, body, guard_override=…)`; anyone else is
    refused with `refusal`."""
    editing.check_author(person, item.author_id, refusal)

    def save(person, form):
        edit(
            person,
            item,
            form.cleaned_data["body"],
            guard_override=form.cleaned_data["guard_override"],
        )

    return edit_page(
        request, initial={"body": item.body}, save=save, heading=heading, back_url=back_url
    )


def edit_comment(request, comment_id: int):
    """Change a comment under a post (its author only)."""
    person = current_person(request)
    comment = services.visible_comment(person, comment_id)
    return edit_body_page(
        request,
        person,
        comment,
        editing.edit_comment,
        refusal=_("Only the author may edit this comment."),
        heading=_("Edit your comment"),
        back_url=f"{comment.post.get_absolute_url()}#comment-{comment.pk}",
    )


def _history_item(person, kind: str, object_id: int):
    """(the item, its link, its current title and text), reached through its access function."""
    item = editing.visible_edited(person, kind, object_id)
    if kind == EditedKind.POST:
        return item, item.get_absolute_url(), "", item.body
    if kind == EditedKind.COMMENT:
        return item, f"{item.post.get_absolute_url()}#comment-{item.pk}", "", item.body
    if kind == EditedKind.QUESTION:
        return item, item.get_absolute_url(), item.title, item.post.body
    if kind == EditedKind.ANSWER:
        return item, f"{item.question.get_absolute_url()}#answer-{item.pk}", "", item.body
    url = item.answer.question.get_absolute_url()
    return item, f"{url}#answer-{item.answer_id}-comment-{item.pk}", "", item.body


def edit_history(request, kind: str, object_id: int):
    """What an item said before each edit, for whoever may see the item."""
    person = current_person(request)
    item, url, title, body = _history_item(person, kind, object_id)
    context = {
        "edits": editing.edits_of(kind, item),
        "item_url": url,
        "current_title": title,
        "current_body": body,
    }
    return render(request, "posts/history.html", context)
