"""API: the home stream, boards, posts, comments and recommendations.

Every read goes through the permission module (`home_stream`, `board_posts`,
`visible_post`); a post the caller may not see answers 404, like one that
does not exist.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from kollega.api.lookups import person_named
from kollega.api.schemas import (
    ClassificationName,
    CommentOut,
    CursorPage,
    OffsetPage,
    OffsetParams,
    PersonRef,
    PostOut,
    classification_in,
    offset_page,
    responses,
)
from kollega.audit.services import record_opened
from kollega.guard.schemas import GuardOverride
from kollega.limits import API_PAGE_ITEMS, API_PAGE_MAX_ITEMS
from kollega.posts import editing, services
from kollega.posts.models import Audience, EditedKind
from kollega.posts.stream import FILTERS, StreamPage, home_stream, stream_page

router = Router()

StreamFilter = Literal[tuple(FILTERS)]


class CursorParams(Schema):
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page.")
    limit: int = Field(API_PAGE_ITEMS, ge=1, le=API_PAGE_MAX_ITEMS, description="Posts per page.")


class StreamParams(CursorParams):
    filter: StreamFilter = Field(
        "all",
        description="all: everything the caller may see; network: by the caller and their "
        "contacts; following: by people and with tags the caller follows; mentions: "
        "mentioning the caller.",
    )


class PostIn(Schema):
    body: str = Field(description="Markdown subset; @mentions must name colleagues.")
    audience: Literal[tuple(a for a in Audience.values if a != Audience.PUBLIC)] = Field(
        Audience.ORGANISATION.value,
        description="organisation: every colleague; network: the author's contacts; "
        "board: the board owner's contacts.",
    )
    board: str | None = Field(
        None, description="User name of the board to post on; the caller's own if omitted."
    )
    classification: ClassificationName | None = classification_in("internal")
    guard_override: GuardOverride = None


class CommentIn(Schema):
    body: str
    guard_override: GuardOverride = None


class EditIn(Schema):
    body: str = Field(description="The new text (Markdown subset); checked as a new one is.")
    guard_override: GuardOverride = None


class EditOut(Schema):
    id: int
    editor: PersonRef
    edited_at: datetime
    title: str = Field(description="A question's title before the edit (else empty).")
    body: str = Field(description="The text before the edit.")
    tags: list[str] = Field(description="A post's or question's tags before the edit.")

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tags.split()


class RecommendationOut(Schema):
    recommended: bool = Field(description="Whether the caller now recommends the post.")
    changed: bool = Field(description="False if it already was so.")
    recommendation_count: int


def _with_recommendations(viewer, posts: list) -> list:
    """Mark the posts `viewer` recommends, for PostOut.recommended_by_me."""
    mine = services.recommended_ids(viewer, posts)
    for post in posts:
        post.recommended_by_me = post.pk in mine
    return posts


def _cursor_page(viewer, page: StreamPage) -> dict:
    """A stream page as the API answers it, with the caller's recommendations marked."""
    return {"items": _with_recommendations(viewer, page.posts), "next_cursor": page.next_cursor}


@router.get("/stream", response=responses({200: CursorPage[PostOut]}, 400))
def get_stream(request, params: Query[StreamParams]):
    """The caller's home stream: posts with the newest activity first.

    A comment moves its thread to the top. Page with `cursor` (the previous page's
    `next_cursor`); pages never skip or repeat when new activity arrives.
    """
    page = home_stream(request.auth, params.filter, params.cursor, params.limit, comments=False)
    return _cursor_page(request.auth, page)


@router.get("/people/{username}/board", response=responses({200: CursorPage[PostOut]}, 400, 404))
def get_board(request, username: str, params: Query[CursorParams]):
    """The posts on a colleague's board that the caller may see, newest activity first.

    404 if the board's owner keeps it to contacts and the caller is not one.
    """
    owner = services.visible_board(request.auth, username)
    posts = services.board_posts(request.auth, owner)
    page = stream_page(posts, params.cursor, params.limit, comments=False)
    return _cursor_page(request.auth, page)


@router.post("/posts", response=responses({201: PostOut}, 400, 403))
def create_post(request, payload: PostIn):
    """Post on one's own board or on a colleague's (`board`).

    Mentioned colleagues and the board owner are told. An empty or too long text,
    or a mention of nobody, is refused (400) and nothing is saved.
    """
    board_owner = person_named(payload.board) if payload.board else None
    post = services.post_on_board(
        request.auth,
        payload.body,
        board_owner,
        payload.audience,
        guard_override=payload.guard_override,
        classification=payload.classification,
    )
    return Status(201, services.visible_post(request.auth, post.pk))


@router.get("/posts/{post_id}", response=responses({200: PostOut}, 404))
def get_post(request, post_id: int):
    """One post, if the caller may see it."""
    post = services.visible_post(request.auth, post_id)
    record_opened(request.auth, post, request)
    return _with_recommendations(request.auth, [post])[0]


@router.patch("/posts/{post_id}", response=responses({200: PostOut}, 400, 403, 404))
def edit_post(request, post_id: int, payload: EditIn):
    """Change a post's text: only its author may (403 for others).

    Checked as a new post is — empty, too long, unknown mentions, the share guard
    for its audience, its classification — and refused with 400, the old text kept.
    The text before is kept in its history (`GET /edits/post/{post_id}`); colleagues
    newly mentioned are told. A question or blog entry is edited as one.
    """
    post = services.visible_post(request.auth, post_id)
    editing.edit_post(request.auth, post, payload.body, guard_override=payload.guard_override)
    return _with_recommendations(request.auth, [services.visible_post(request.auth, post_id)])[0]


@router.delete("/posts/{post_id}", response=responses({204: None}, 403, 404))
def delete_post(request, post_id: int):
    """Delete a post and its comments; only its author or the board owner may."""
    services.delete_post(request.auth, services.visible_post(request.auth, post_id))
    return Status(204, None)


@router.get(
    "/posts/{post_id}/comments", response=responses({200: OffsetPage[CommentOut]}, 400, 404)
)
def list_comments(request, post_id: int, params: Query[OffsetParams]):
    """The comments under a post, oldest first."""
    post = services.visible_post(request.auth, post_id)
    return offset_page(post.comments.select_related("author__user"), params)


@router.post("/posts/{post_id}/comments", response=responses({201: CommentOut}, 400, 404))
def add_comment(request, post_id: int, payload: CommentIn):
    """Reply under a post; the thread rises to the top of streams."""
    post = services.visible_post(request.auth, post_id)
    return Status(
        201,
        services.comment_on_post(
            request.auth, post, payload.body, guard_override=payload.guard_override
        ),
    )


@router.patch(
    "/posts/{post_id}/comments/{comment_id}", response=responses({200: CommentOut}, 400, 403, 404)
)
def edit_comment(request, post_id: int, comment_id: int, payload: EditIn):
    """Change a comment's text: only its author may; checked as a new comment is."""
    comment = services.visible_comment(request.auth, comment_id, post_id=post_id)
    return editing.edit_comment(
        request.auth, comment, payload.body, guard_override=payload.guard_override
    )


@router.get("/edits/{kind}/{object_id}", response=responses({200: OffsetPage[EditOut]}, 400, 404))
def list_edits(request, kind: EditedKind, object_id: int, params: Query[OffsetParams]):
    """An item's edit history, newest first: what it said before each edit.

    `kind`: post, comment, question, answer or answer_comment; whoever may see the
    item may see its history (404 otherwise).
    """
    item = editing.visible_edited(request.auth, kind, object_id)
    return offset_page(editing.edits_of(kind, item), params)


@router.delete("/posts/{post_id}/comments/{comment_id}", response=responses({204: None}, 403, 404))
def delete_comment(request, post_id: int, comment_id: int):
    """Delete a comment: its author, or the post's author or board owner, may."""
    comment = services.visible_comment(request.auth, comment_id, post_id=post_id)
    services.delete_comment(request.auth, comment)
    return Status(204, None)


def _recommendation(request, post_id: int, recommended: bool, changed: bool) -> dict:
    post = services.visible_post(request.auth, post_id)
    return {
        "recommended": recommended,
        "changed": changed,
        "recommendation_count": post.recommendation_count,
    }


@router.post("/posts/{post_id}/recommendation", response=responses({200: RecommendationOut}, 404))
def recommend_post(request, post_id: int):
    """Recommend (like) a post; doing it twice changes nothing."""
    changed = services.recommend_post(request.auth, services.visible_post(request.auth, post_id))
    return _recommendation(request, post_id, True, changed)


@router.delete("/posts/{post_id}/recommendation", response=responses({200: RecommendationOut}, 404))
def withdraw_recommendation(request, post_id: int):
    """Take back a recommendation; without one, nothing changes."""
    post = services.visible_post(request.auth, post_id)
    changed = services.withdraw_recommendation(request.auth, post)
    return _recommendation(request, post_id, False, changed)
