"""What can be searched: a registry of document kinds.

Each kind says how one object becomes a search document and which query
filter (a Q on `SearchDocument`) selects the documents of that kind a person
may see. Everything else — keeping the index in step with writes, rebuilding
it, ranking, facets, the search page, suggestions and the API — reads this
registry, so a new kind needs nothing but one `register()` call.

How to add a kind (a blog entry, say), from the owning app's
`AppConfig.ready()`::

    from django.db.models import Q

    from kollega.search.documents import Document, DocumentKind, Watch, register
    from kollega.search.text import plain_text

    def blog_entry_document(entry) -> Document | None:
        if not entry.is_published:          # None: not searchable (any old document goes)
            return None
        return Document(
            title=entry.title,
            body=plain_text(entry.body_html),
            url=entry.get_absolute_url(),
            created_at=entry.published_at,
            author_id=entry.author_id,
            tag_ids=[t.pk for t in entry.tags.all()],
        )

    register(DocumentKind(
        name="blog_entry",                              # stored in SearchDocument.kind
        label=_("Blog entries"),                        # the heading of its results group
        model=BlogEntry,
        document=blog_entry_document,
        # Who may see it, as a Q on SearchDocument. Without a foreign key of its own,
        # select by object_id from the app's own visibility filter:
        visible=lambda viewer: Q(object_id__in=BlogEntry.objects.filter(
            blog_rules.visible_filter(viewer)).values("pk")),
        queryset=lambda: BlogEntry.objects.all(),       # every object, for `kollega reindex`
        watches=(Watch(BlogEntry.tags.through, lambda entry: [entry], m2m=True),),
    ))

- `document(obj)` returns a `Document` (or None when the object should not be
  found); `author_id` gives the social signals (closeness) and the author and
  department facets, `community_id` the community facet, `tag_ids` the tag
  facet. `post_id`, `person_id` and `community_id` are also foreign keys the
  `visible` rule may use.
- `visible(viewer)` must come from the app's permission module (never a
  second copy of the rule); it is ANDed with `kind=<name>` for you.
- Saving or deleting a `model` instance re-indexes or removes its document in
  the same transaction (signals). `watches` lists other writes that change a
  document: a model whose save/delete, or an M2M through table whose changes,
  should re-index the objects `objects_of(instance)` returns.
- Writes that bypass signals (bulk_create, queryset.update) are caught up by
  `kollega reindex`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kollega.search.text import plain_text


@dataclass
class Document:
    """The searchable parts of one object, as its kind builds them."""

    title: str
    body: str
    url: str
    created_at: datetime
    updated_at: datetime | None = None
    context: str = ""
    author_id: int | None = None
    post_id: int | None = None
    community_id: int | None = None
    person_id: int | None = None
    tag_ids: list[int] = field(default_factory=list)
    # The classification level shown on the hit (None for people).
    classification: int | None = None
    # Words found but not shown (a person's tags, say), analysed with the body.
    extra_text: str = ""


@dataclass(frozen=True)
class Watch:
    """Another write that changes documents: `sender`'s save/delete, or M2M changes."""

    sender: type[Model]
    objects_of: Callable[[Any], Iterable[Model]]
    m2m: bool = False


@dataclass(frozen=True)
class DocumentKind:
    name: str
    label: str | Promise
    model: type[Model]
    document: Callable[[Any], Document | None]
    visible: Callable[[Any], Q]
    queryset: Callable[[], QuerySet]
    watches: tuple[Watch, ...] = ()
    # Offered as suggestions while typing (people, communities): matched on name prefixes.
    suggest: bool = False
    # For `kollega reindex`: called with each batch of objects before `document()`, to
    # load in one query what `document()` would otherwise ask object by object.
    prepare: Callable[[list], None] | None = None
    # The stored `context` as the reader sees it; for a kind whose context is a choice
    # (a question's state), its label in the reader's language.
    shown_context: Callable[[str], str] | None = None


def choice_label(choices) -> Callable[[str], str]:
    """Show a stored choice (``"open"``) as its label in the active language.

    The index stores the choice, not its label: a label stored at write time is in
    the writer's language (often English), and a Swedish reader saw "Answered".
    Documents indexed before that stored the label; it is matched in each language
    and shown as its choice's label too, so they read right before `kollega reindex`.
    """

    def shown(context: str) -> str:
        from django.conf import settings
        from django.utils import translation

        labels = dict(choices)
        value = context if context in labels else None
        for code, _name in settings.LANGUAGES if value is None else ():
            with translation.override(code):
                value = next((v for v, label in labels.items() if str(label) == context), None)
            if value is not None:
                break
        return context if value is None else str(labels[value])

    return shown


def shown_context(kind: str, context: str) -> str:
    """A document's context as the reader sees it (`DocumentKind.shown_context`)."""
    document_kind = KINDS.get(kind)
    if document_kind is None or document_kind.shown_context is None or not context:
        return context
    return document_kind.shown_context(context)


KINDS: dict[str, DocumentKind] = {}
_listeners: list[Callable[[DocumentKind], None]] = []


def register(kind: DocumentKind) -> DocumentKind:
    """Make `kind` searchable; the index follows its writes from now on."""
    KINDS[kind.name] = kind
    for listener in _listeners:
        listener(kind)
    return kind


def on_register(listener: Callable[[DocumentKind], None]) -> None:
    """Call `listener` for every kind registered so far and every one to come."""
    _listeners.append(listener)
    for kind in list(KINDS.values()):
        listener(kind)


def kind_for_model(model: type[Model]) -> list[DocumentKind]:
    return [kind for kind in KINDS.values() if kind.model is model]


# --- the built-in kinds -------------------------------------------------------------------


def _tags_of(obj, related) -> list[tuple[int, str]]:
    """(id, name) of `obj`'s tags: attached by a kind's `prepare`, else asked for."""
    attached = getattr(obj, "_search_tags", None)
    return attached if attached is not None else list(related.values_list("pk", "name"))


def _attach_tags(objects: list, through, column: str, key=lambda obj: obj.pk) -> None:
    """Give each of `objects` its `_search_tags`, read from the `through` table at once.

    (prefetch_related would join every tag to an IN list of ids: much slower.)
    """
    found: dict[int, list[tuple[int, str]]] = {}
    rows = through.objects.filter(**{f"{column}__in": [key(o) for o in objects]})
    for owner, tag_id, name in rows.values_list(column, "tag_id", "tag__name"):
        found.setdefault(owner, []).append((tag_id, name))
    for obj in objects:
        obj._search_tags = found.get(key(obj), [])


def _person_document(person) -> Document:
    tags = _tags_of(person, _person_tags(person))
    department = person.department.name if person.department_id else ""
    return Document(
        title=person.name,
        body=" · ".join(p for p in (person.title, department, plain_text(person.about)) if p),
        url=reverse("profile", args=[person.user.username]),
        created_at=person.joined_at,
        context=person.title,
        author_id=person.pk,
        person_id=person.pk,
        tag_ids=sorted({tag_id for tag_id, _name in tags}),
        extra_text=" ".join(
            [person.user.username, person.languages, *sorted({n for _i, n in tags})]
        ),
    )


def _person_tags(person):
    from kollega.tags.models import Tag

    return Tag.objects.filter(person_links__person=person).distinct()


def _community_document(community) -> Document:
    tags = _tags_of(community, community.tags)
    return Document(
        title=community.name,
        body=plain_text(community.description),
        url=community.get_absolute_url(),
        created_at=community.created_at,
        context=community.kind,  # the choice, shown in the reader's language
        # No author: a colleague invited to a restricted community finds its card, and
        # must not learn from a hit or the author facet who made (and likely runs) it.
        author_id=None,
        community_id=community.pk,
        tag_ids=sorted({tag_id for tag_id, _name in tags}),
        extra_text=" ".join(sorted({name for _id, name in tags})),
        classification=community.classification,
    )


def _is_question(post) -> bool:
    try:
        return post.question is not None
    except ObjectDoesNotExist:
        return False


def _is_blog_entry(post) -> bool:
    try:
        return post.blog_entry is not None
    except (ObjectDoesNotExist, AttributeError):
        return False


def _post_document(post) -> Document | None:
    if _is_question(post) or _is_blog_entry(post):
        return None  # indexed once, as the question or the blog entry
    tags = _tags_of(post, post.tags)
    return Document(
        title="",
        body=plain_text(post.body),
        url=post.get_absolute_url(),
        created_at=post.created_at,
        updated_at=post.last_activity_at,
        author_id=post.author_id,
        post_id=post.pk,
        community_id=post.community_id,
        tag_ids=sorted({tag_id for tag_id, _name in tags}),
        extra_text=" ".join(sorted({name for _id, name in tags})),
        classification=post.classification,
    )


def _comment_document(comment) -> Document:
    post = comment.post
    if _is_question(post):
        url, context = post.question.get_absolute_url(), post.question.title
    else:
        url, context = post.get_absolute_url(), plain_text(post.body)[:120]
    return Document(
        title="",
        body=plain_text(comment.body),
        url=f"{url}#comment-{comment.pk}",
        created_at=comment.created_at,
        context=context,
        author_id=comment.author_id,
        post_id=post.pk,
        community_id=post.community_id,
        classification=post.classification,
    )


def _question_document(question) -> Document:
    post = question.post
    tags = _tags_of(question, post.tags)
    body = plain_text(post.body)
    return Document(
        title=question.title,
        body="" if body == question.title else body,
        url=question.get_absolute_url(),
        created_at=question.asked_at,
        updated_at=post.last_activity_at,
        context=question.status,  # the choice, shown in the reader's language
        author_id=post.author_id,
        post_id=post.pk,
        community_id=post.community_id,
        tag_ids=sorted({tag_id for tag_id, _name in tags}),
        extra_text=" ".join(sorted({name for _id, name in tags})),
        classification=post.classification,
    )


def _under_question(question, obj, anchor: str) -> Document:
    """An answer, or a comment on one: found on the question's page, at `anchor`."""
    return Document(
        title="",
        body=plain_text(obj.body),
        url=f"{question.get_absolute_url()}#{anchor}",
        created_at=obj.created_at,
        context=question.title,
        author_id=obj.author_id,
        post_id=question.post_id,
        community_id=question.post.community_id,
        classification=question.post.classification,
    )


def _answer_document(answer) -> Document:
    return _under_question(answer.question, answer, f"answer-{answer.pk}")


def _answer_comment_document(comment) -> Document:
    answer = comment.answer
    return _under_question(answer.question, comment, f"answer-{answer.pk}-comment-{comment.pk}")


def _post_rule(viewer) -> Q:
    from kollega.permissions.posts import visible_filter

    return visible_filter(viewer, prefix="post__")


def _community_rule(viewer) -> Q:
    from kollega.communities.models import Community
    from kollega.permissions.communities import visible_communities_filter

    return Q(
        community__in=Community.objects.filter(visible_communities_filter(viewer)).values("pk")
    )


def _person_rule(viewer) -> Q:
    if viewer is None or not viewer.user.is_active:
        return Q(pk__in=[])
    return Q(person__user__is_active=True)


def register_builtin_kinds() -> None:
    """People, communities, posts, comments, questions, answers and comments on answers."""
    from kollega.communities.models import Community
    from kollega.people.models import Person, PersonTag
    from kollega.posts.models import Comment, Post
    from kollega.qa.models import Answer, AnswerComment, Question, QuestionStatus

    register(
        DocumentKind(
            name="person",
            label=_("People"),
            model=Person,
            document=_person_document,
            visible=_person_rule,
            queryset=lambda: Person.objects.select_related("user", "department"),
            prepare=lambda people: _attach_tags(people, PersonTag, "person_id"),
            watches=(Watch(PersonTag, lambda link: [link.person]),),
            suggest=True,
        )
    )
    register(
        DocumentKind(
            name="community",
            label=_("Communities"),
            model=Community,
            document=_community_document,
            visible=_community_rule,
            queryset=lambda: Community.objects.all(),
            prepare=lambda rows: _attach_tags(rows, Community.tags.through, "community_id"),
            watches=(Watch(Community.tags.through, lambda community: [community], m2m=True),),
            suggest=True,
            shown_context=choice_label(Community.Kind.choices),
        )
    )
    register(
        DocumentKind(
            name="question",
            label=_("Questions"),
            model=Question,
            document=_question_document,
            visible=_post_rule,
            queryset=lambda: Question.objects.select_related("post"),
            prepare=lambda rows: _attach_tags(
                rows, Post.tags.through, "post_id", key=lambda q: q.post_id
            ),
            watches=(Watch(Post.tags.through, lambda post: _questions_of(post), m2m=True),),
            shown_context=choice_label(QuestionStatus.choices),
        )
    )
    register(
        DocumentKind(
            name="post",
            label=_("Posts"),
            model=Post,
            document=_post_document,
            visible=_post_rule,
            queryset=lambda: Post.objects.filter(question__isnull=True).select_related("question"),
            prepare=lambda posts: _attach_tags(posts, Post.tags.through, "post_id"),
            watches=(
                Watch(Post.tags.through, lambda post: [post], m2m=True),
                # Asking makes the post a question: its post document goes.
                Watch(Question, lambda question: [question.post]),
            ),
        )
    )
    register(
        DocumentKind(
            name="answer",
            label=_("Answers"),
            model=Answer,
            document=_answer_document,
            visible=_post_rule,
            queryset=lambda: Answer.objects.select_related("question__post"),
        )
    )
    register(
        DocumentKind(
            name="comment",
            label=_("Comments"),
            model=Comment,
            document=_comment_document,
            visible=_post_rule,
            queryset=lambda: Comment.objects.select_related("post__question"),
        )
    )
    register(
        DocumentKind(
            name="answer_comment",
            label=_("Comments on answers"),
            model=AnswerComment,
            document=_answer_comment_document,
            visible=_post_rule,
            queryset=lambda: AnswerComment.objects.select_related("answer__question__post"),
        )
    )


def _questions_of(post) -> list:
    from kollega.qa.models import Question

    return list(Question.objects.filter(post=post).select_related("post"))
