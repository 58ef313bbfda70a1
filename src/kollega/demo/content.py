"""Writing the conversations: posts, comments, tags on posts, mentions, recommendations.

Each thread becomes a post with its answers as comments; a Stack Exchange
question's answers are drafted as answers instead (`demo.questions` writes the
question and them). The rows are what `post_on_board`, `comment_on_post` and
`recommend_post` would have written (body_html from the same renderer, tags
from the text, comment_count and last_activity_at kept in step), only written
in bulk.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from kollega import markup
from kollega.demo import plan, questions
from kollega.demo.sources import Message, Thread
from kollega.demo.state import DemoState
from kollega.notifications.models import Notification
from kollega.posts.models import Audience, Comment, Mention, Post, Recommendation
from kollega.tags.models import Tag
from kollega.tags.services import normalise_tag

NETWORK_SHARE, BOARD_SHARE = 0.15, 0.05
QUESTION_MENTION_CHANCE, ANSWER_MENTION_CHANCE = 0.08, 0.10
NEWEST_AGO = timedelta(minutes=20)
MENTION_PHRASES = ("Maybe @{h} knows?", "@{h}, any thoughts?", "cc @{h}")


@dataclass
class Draft:
    """A post and its comments before they are written, with who is in them."""

    post: Post
    author: int
    owner: int
    tags: list[str]
    mentioned: list[int]
    score: int
    comments: list[tuple[Comment, int, list[int]]] = field(default_factory=list)
    # A question's answers (qa.Answer, unsaved); written by `demo.questions`.
    answers: list = field(default_factory=list)


def create_tags(state: DemoState) -> None:
    """The source's tag list and the people's topics."""
    names = set(plan.valid_tags(sorted(state.talk.tag_weights)))
    for topics in state.interests:
        names.update(topics)
    ensure_tags(state, names)


def ensure_tags(state: DemoState, names: set[str]) -> None:
    """Tag rows for `names` (already normalised), as `get_or_create_tags` would make them."""
    missing = sorted(names - set(state.tag_ids))
    if missing:
        Tag.objects.bulk_create([Tag(name=n) for n in missing], ignore_conflicts=True)
        state.tag_ids = dict(Tag.objects.values_list("name", "pk"))


def create_conversations(state: DemoState) -> None:
    """Posts and comments from the source threads, dated so the newest is from just now."""
    threads = state.talk.threads
    shift = _shift(state)
    audiences = _audiences(state)
    first_mentions = _mentions_of_first_person(state, audiences)
    rng = state.rng("conversations")
    # Comments on questions draw from their own generator, so the rest stays as it was.
    quiet = state.rng("question-comments")
    handles = {h: n for n, h in enumerate(state.handles)}
    drafts = []
    for i, thread in enumerate(threads):
        audience, owner = audiences[i]
        mention = (
            0 if i in first_mentions else _question_mention(state, thread, audience, owner, rng)
        )
        body = _question_body(state, thread.question, mention, rng)
        draft = _post_draft(state, thread.question, body, (audience, owner), handles, shift)
        if questions.is_question(thread):
            questions.draft_answers(state, draft, thread, handles, shift)
            for comment in thread.comments:
                draft.comments.append(_comment(state, draft, comment, handles, shift, quiet))
        else:
            for answer in thread.answers:
                if answer.text:
                    draft.comments.append(_comment(state, draft, answer, handles, shift, rng))
        drafts.append(draft)
    _write(state, drafts)


def _shift(state: DemoState) -> timedelta:
    """How far to move every date so the newest message is from just now."""
    latest = max(
        m.created_at for thread in state.talk.threads for m in (thread.question, *thread.answers)
    )
    return state.now - NEWEST_AGO - latest


def _audiences(state: DemoState) -> list[tuple[str, int]]:
    """Mostly organisation; network and board only where everyone who answered or commented
    may see the post."""
    rng, contacts = state.rng("audiences"), state.contacts
    choices, network_ok, board_owners = [], [], {}
    for i, thread in enumerate(state.talk.threads):
        author = state.author_of[thread.question.author_key]
        choices.append((Audience.ORGANISATION, author))
        others = {state.author_of[m.author_key] for m in (*thread.answers, *thread.comments)}
        others -= {author}
        if others <= contacts[author]:
            network_ok.append(i)
        owners = [o for o in sorted(contacts[author]) if others <= contacts[o] | {o}]
        if owners:
            board_owners[i] = owners
    total = len(choices)
    network = rng.sample(network_ok, min(len(network_ok), round(NETWORK_SHARE * total)))
    for i in network:
        choices[i] = (Audience.NETWORK, choices[i][1])
    on_boards = sorted(set(board_owners) - set(network))
    for i in rng.sample(on_boards, min(len(on_boards), round(BOARD_SHARE * total))):
        choices[i] = (Audience.BOARD, rng.choice(board_owners[i]))
    return choices


def _mentions_of_first_person(state: DemoState, audiences) -> set[int]:
    """The three newest open questions by contacts of person 0 mention them, for the demo.

    Where their contacts asked too little, other open questions fill in.
    """
    others = [
        i
        for i, (audience, owner) in enumerate(audiences)
        if audience == Audience.ORGANISATION and owner != 0
    ]
    # Contacts' questions sort last, the newest of them at the very end.
    preferred = sorted(others, key=lambda i: (audiences[i][1] in state.contacts[0], i))
    return set(preferred[-3:])


def _question_mention(state, thread: Thread, audience: str, owner: int, rng) -> int | None:
    """Now and then a question asks a contact by name (one who may see it)."""
    if rng.random() >= QUESTION_MENTION_CHANCE:
        return None
    author = state.author_of[thread.question.author_key]
    seers = state.contacts[author] if audience != Audience.BOARD else state.contacts[owner]
    candidates = sorted(seers - {author})
    return rng.choice(candidates) if candidates else None


def _post_draft(state, question: Message, body: str, placement, handles, shift) -> Draft:
    """A post as `post_on_board` would store it: rendered body, tags from the text."""
    audience, owner = placement
    author = state.author_of[question.author_key]
    rendered = markup.render(body, known_handles=handles.keys())
    when = question.created_at + shift
    post = Post(
        author_id=state.person_ids[author],
        board_owner_id=state.person_ids[owner],
        audience=audience,
        body=body,
        body_html=rendered.html,
        created_at=when,
        last_activity_at=when,
        **question.source,
    )
    mentioned = [handles[h] for h in rendered.mentions]
    return Draft(post, author, owner, _post_tags(rendered.tags), mentioned, question.score)


def _question_body(state: DemoState, question: Message, mention: int | None, rng) -> str:
    """The excerpt (the title when there is none, as `qa.services.ask_question` does), maybe a
    colleague asked by name, then the #tags. The title itself is the question's: pages
    and stream cards show it above the text."""
    text = question.text or question.title
    if mention is not None:
        phrase = rng.choice(MENTION_PHRASES).format(h=state.handles[mention])
        text = f"{text} {phrase}".strip()
    inline = markup.find_mentions_and_tags(text)[1]
    tags = [t for t in plan.valid_tags(question.tags) if t not in inline]
    parts = [text, " ".join(f"#{t}" for t in tags)]
    return "\n\n".join(p for p in parts if p)


def _post_tags(names: list[str]) -> list[str]:
    """The tags the posting service would set: the text's #tags that normalise cleanly."""
    kept = []
    for name in names:
        try:
            kept.append(normalise_tag(name))
        except ValidationError:
            continue
    return sorted(set(kept))


def _comment(state, draft: Draft, message: Message, handles, shift, rng) -> tuple:
    """A message (an answer, or a comment on a question) as a comment; sometimes addressed
    to the asker by @handle."""
    commenter = state.author_of[message.author_key]
    text = message.text
    if commenter != draft.author and rng.random() < ANSWER_MENTION_CHANCE:
        text = f"@{state.handles[draft.author]} {text}"
    rendered = markup.render(text, known_handles=handles.keys())
    when = message.created_at + shift
    comment = Comment(
        author_id=state.person_ids[commenter],
        body=text,
        body_html=rendered.html,
        created_at=when,
        **message.source,
    )
    draft.post.comment_count += 1
    draft.post.last_activity_at = max(draft.post.last_activity_at, when)
    return comment, commenter, [handles[h] for h in rendered.mentions]


def _write(state: DemoState, drafts: list[Draft]) -> None:
    """Write the drafts and everything hanging off them, then queue their notifications."""
    rng = state.rng("recommendations")
    recommendations = [_recommend(state, d, rng) for d in drafts]
    ensure_tags(state, {t for d in drafts for t in d.tags})
    Post.objects.bulk_create([d.post for d in drafts], batch_size=500)
    for draft in drafts:
        for comment, _commenter, _mentioned in draft.comments:
            comment.post_id = draft.post.pk
    Comment.objects.bulk_create([c for d in drafts for c, _a, _m in d.comments], batch_size=500)
    Post.tags.through.objects.bulk_create(
        [
            Post.tags.through(post_id=d.post.pk, tag_id=state.tag_ids[t])
            for d in drafts
            for t in d.tags
        ]
    )
    Mention.objects.bulk_create(_mentions(state, drafts), batch_size=1000)
    _write_recommendations(drafts, recommendations)
    state.counts["recommendations"] = sum(len(r) for r in recommendations)
    for draft in drafts:
        _queue_notifications(state, draft)
    state.counts.update(
        posts=len(drafts),
        comments=sum(len(d.comments) for d in drafts),
        **{f"posts_{a}": sum(d.post.audience == a for d in drafts) for a in Audience.values},
    )


def _mentions(state: DemoState, drafts: list[Draft]) -> list[Mention]:
    """Mention rows for the people named in posts and comments."""
    ids, rows = state.person_ids, []
    for d in drafts:
        rows += [
            Mention(person_id=ids[n], post=d.post, created_at=d.post.created_at)
            for n in d.mentioned
        ]
        for comment, _commenter, mentioned in d.comments:
            rows += [
                Mention(
                    person_id=ids[n], post=d.post, comment=comment, created_at=comment.created_at
                )
                for n in mentioned
            ]
    return rows


def _recommend(state, draft: Draft, rng: random.Random) -> list[tuple[int, datetime]]:
    """A few colleagues who may see the post recommend it; more for a better score."""
    wanted = min(draft.score // 3, 5)
    if wanted <= 0:
        return []
    seers = _seers(state, draft)
    people = rng.sample(seers, min(wanted, len(seers)))
    room = max((state.now - draft.post.created_at).total_seconds(), 1)
    draft.post.recommendation_count = len(people)
    return [
        (state.person_ids[n], draft.post.created_at + timedelta(seconds=rng.uniform(0, room)))
        for n in people
    ]


def _seers(state, draft: Draft) -> list[int]:
    """Who besides the author may see the post (the permission rule, on person numbers)."""
    if draft.post.audience == Audience.ORGANISATION:
        return [n for n in range(len(state.person_ids)) if n != draft.author]
    base = draft.author if draft.post.audience == Audience.NETWORK else draft.owner
    return sorted((state.contacts[base] | {draft.owner}) - {draft.author})


def _write_recommendations(drafts, recommendations) -> None:
    """Recommendation rows, dated within the life of their post."""
    rows = [
        (Recommendation(person_id=person, post_id=d.post.pk), when)
        for d, chosen in zip(drafts, recommendations, strict=True)
        for person, when in chosen
    ]
    created = Recommendation.objects.bulk_create([r for r, _w in rows], batch_size=1000)
    # created_at is set on insert; give each its moment in the thread's life instead.
    for row, (_r, when) in zip(created, rows, strict=True):
        row.created_at = when
    Recommendation.objects.bulk_update(created, ["created_at"], batch_size=500)


def _queue_notifications(state: DemoState, draft: Draft) -> None:
    """What the services notify: board owner, mentioned people, the post's author."""
    ids, post = state.person_ids, draft.post
    kind = Notification.Kind
    if draft.owner != draft.author:
        state.notify(
            ids[draft.owner], kind.BOARD_POST, ids[draft.author], post.created_at, post=post
        )
    for n in draft.mentioned:
        if n != draft.owner:
            state.notify(ids[n], kind.MENTION, ids[draft.author], post.created_at, post=post)
    for comment, commenter, mentioned in draft.comments:
        when = comment.created_at
        state.notify(
            ids[draft.author], kind.COMMENT, ids[commenter], when, post=post, comment=comment
        )
        for n in mentioned:
            if n != draft.author:
                state.notify(ids[n], kind.MENTION, ids[commenter], when, post=post, comment=comment)
