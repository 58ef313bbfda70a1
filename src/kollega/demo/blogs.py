"""Writing blogs: managers keeping project diaries, entries on community blogs, a
draft and a scheduled entry of the demo persona, and the chief executive's public
blog (public pages on; shown without sign-in while KOLLEGA_PUBLIC_PAGES is true).

The rows are what `blogs.services.write_entry` and `publish_entry` would have
written — a published entry owns a post (its opening, in its audience) with the
entry's tags, and colleagues comment on some — only written in bulk.
"""

from datetime import timedelta

from kollega import markup
from kollega.communities.models import Community, Membership
from kollega.content.blogs.models import BlogEntry, EntryStatus
from kollega.content.blogs.services import excerpt_of
from kollega.demo.content import ensure_tags
from kollega.demo.state import DemoState
from kollega.guard.classification import Level
from kollega.people.models import Person
from kollega.posts.models import Audience, Comment, Post

DIARIES = 10  # managers who keep a project diary
DIARY_WEEKS = 4
COMMUNITY_BLOGS = 8

PROJECTS = (
    ("Cellar move", "moving the cellar stock to the new warehouse in Gothenburg", "logistics"),
    ("Tasting room", "opening the tasting room at the Oslo office", "events"),
    ("Label redesign", "redesigning the labels of our own range", "design"),
    ("Cask programme", "the first year of our own cask programme", "brewing"),
    ("Supplier portal", "a portal where suppliers book deliveries themselves", "it"),
    ("Night shift pilot", "a pilot of a second shift at the bottling line", "operations"),
    ("Training kitchen", "a kitchen for pairing courses with restaurant customers", "training"),
    ("Water savings", "cutting the water used per litre brewed", "sustainability"),
    ("Export to Denmark", "our first shipments to Danish restaurants", "sales"),
    ("Archive scan", "scanning forty years of recipes and brewing logs", "history"),
)

WEEKS = (
    (
        "Week {n}: why we are doing this",
        "This is the diary of {project}: {what}. I will write here every week so that "
        "anyone can follow along, and so the next team does not start from scratch.\n\n"
        "We start with a small group and a clear goal. If you have done something like "
        "this before, please comment — I would rather borrow than reinvent. #{tag}",
    ),
    (
        "Week {n}: the first surprise",
        "Progress on {project}: the plan met reality this week. The supplier needed two "
        "more weeks, so we used the time to write down what we had learnt so far.\n\n"
        "- what worked: short daily check-ins\n- what did not: a shared spreadsheet nobody "
        "owned\n- next: one owner per task, written on the board #{tag}",
    ),
    (
        "Week {n}: halfway",
        "Halfway through {project}. We are a little behind on time and a little under "
        "budget, which I will take.\n\nThank you to everyone who commented on the last "
        "entries; two of your suggestions are now part of the plan. #{tag}",
    ),
    (
        "Week {n}: what I would do differently",
        "Looking back at {project} so far, I would involve the people doing the work "
        "earlier. The best ideas came from the floor, not from the planning meetings.\n\n"
        "If you are starting something similar, read the earlier entries and get in touch. "
        "#{tag} #lessons",
    ),
)

COMMUNITY_ENTRIES = (
    (
        "Welcome to our blog",
        "We will use this blog for longer pieces than fit in a post: what we learnt, "
        "how we work, and reports from the events we hold.\n\nEveryone in {name} can write "
        "here. Start with a draft, ask a colleague to read it, then publish.",
    ),
    (
        "Notes from our last meet-up",
        "Thank you to everyone who came to the meet-up. We tasted six samples and "
        "talked about what makes a good pairing.\n\nThe slides and the list of what we "
        "tasted are in the community's bookmarks. Next time: suggestions welcome below.",
    ),
)

# The chief executive's entries for the public: Open, readable without sign-in.
PUBLIC_ENTRIES = (
    (
        "The year ahead",
        "Next year we open a tasting room in Oslo, move our cellar to Gothenburg and launch "
        "our own cask programme.\n\nWe will write here as each of them gets going.",
    ),
    (
        "Why we redesign our labels",
        "Our own range has grown from four wines to forty, and the labels no longer tell them "
        "apart.\n\nThe new labels say where the grapes grew and what to eat with the wine.",
    ),
)

COMMENTS = (
    "Thanks for writing this down, very useful.",
    "We tried something similar last year; happy to share our notes.",
    "Looking forward to the next entry!",
    "Could you say more about how you chose the supplier?",
)


def write_blogs(state: DemoState) -> None:
    """Diaries of a few managers, entries on community blogs, the persona's drafts."""
    rng = state.rng("blogs")
    ids = state.person_ids
    managers = sorted(set(state.line.head_of.values()))
    diarists = rng.sample(managers, min(DIARIES, len(managers)))
    ensure_tags(state, {tag for _p, _w, tag in PROJECTS} | {"lessons"})
    drafts = []  # (entry, post or None, tag names)
    for i, n in enumerate(diarists):
        project, what, tag = PROJECTS[i % len(PROJECTS)]
        # The latest entry of each diary is from the last few days.
        started = state.now - timedelta(days=7 * (DIARY_WEEKS - 1), hours=rng.randint(24, 96))
        for week, (title, body) in enumerate(WEEKS, 1):
            text = body.format(project=project, what=what, tag=tag)
            when = started + timedelta(days=7 * (week - 1), hours=rng.randint(8, 17))
            entry_title = f"{project} — " + title.format(n=week)
            drafts.append(_published(ids[n], entry_title, text, when, [tag], None))
    communities = list(Community.objects.exclude(kind=Community.Kind.RESTRICTED).order_by("pk"))
    members = {}
    for community_id, person_id in Membership.objects.values_list("community_id", "person_id"):
        members.setdefault(community_id, []).append(person_id)
    for community in rng.sample(communities, min(COMMUNITY_BLOGS, len(communities))):
        people = sorted(members.get(community.pk, []))
        if not people:
            continue
        for k, (title, body) in enumerate(COMMUNITY_ENTRIES):
            when = state.now - timedelta(days=20 - 10 * k, hours=rng.randint(0, 12))
            text = body.format(name=community.name)
            drafts.append(_published(rng.choice(people), title, text, when, [], community))
    drafts += _persona_drafts(state)
    drafts += _public_blog(state)
    _write(state, drafts, rng)


def _public_blog(state: DemoState):
    """The chief executive gets public pages and writes two Open entries for the public."""
    ceo = state.person_ids[state.line.ceo]
    Person.objects.filter(pk=ceo).update(public_pages=True)
    drafts = []
    for k, (title, body) in enumerate(PUBLIC_ENTRIES):
        when = state.now - timedelta(days=30 - 14 * k)
        entry, post, names = _published(ceo, title, body, when, [], None)
        entry.audience = post.audience = Audience.PUBLIC
        entry.classification = post.classification = Level.OPEN
        drafts.append((entry, post, names))
    return drafts


def _published(author_id, title, body, when, tags, community):
    entry = BlogEntry(
        author_id=author_id,
        community=community,
        title=title,
        body=body,
        body_html=markup.render(body).html,
        audience=Audience.COMMUNITY if community else Audience.ORGANISATION,
        status=EntryStatus.PUBLISHED,
        published_at=when,
        created_at=when,
        updated_at=when,
    )
    excerpt = excerpt_of(body)
    rendered = markup.render(excerpt)
    post = Post(
        author_id=author_id,
        board_owner_id=author_id,
        audience=entry.audience,
        community=community,
        body=excerpt,
        body_html=rendered.html,
        created_at=when,
        last_activity_at=when,
    )
    names = list(dict.fromkeys([*tags, *markup.find_mentions_and_tags(body)[1]]))
    return entry, post, names


def _persona_drafts(state: DemoState):
    """The first person has a draft and a scheduled entry, so the feature shows at once."""
    persona = state.person_ids[0]
    draft = BlogEntry(
        author_id=persona,
        title="Ideas for the summer party",
        body="A first list, not ready to share yet:\n\n- a boat trip\n- a tasting on the roof",
        status=EntryStatus.DRAFT,
        created_at=state.now - timedelta(days=1),
        updated_at=state.now - timedelta(days=1),
    )
    scheduled = BlogEntry(
        author_id=persona,
        title="What our team learnt this quarter",
        body="A summary of the quarter, to go out on Monday morning. #lessons",
        status=EntryStatus.SCHEDULED,
        publish_at=state.now + timedelta(days=3),
        created_at=state.now - timedelta(hours=3),
        updated_at=state.now - timedelta(hours=3),
    )
    for entry in (draft, scheduled):
        entry.body_html = markup.render(entry.body).html
    return [(draft, None, []), (scheduled, None, ["lessons"])]


def _write(state: DemoState, drafts, rng) -> None:
    posts = Post.objects.bulk_create([p for _e, p, _t in drafts if p is not None])
    by_entry = iter(posts)
    for entry, post, _tags in drafts:
        if post is not None:
            entry.post = next(by_entry)
    entries = BlogEntry.objects.bulk_create([e for e, _p, _t in drafts])
    ensure_tags(state, {t for _e, _p, tags in drafts for t in tags})
    tag = state.tag_ids
    BlogEntry.tags.through.objects.bulk_create(
        [
            BlogEntry.tags.through(blogentry_id=e.pk, tag_id=tag[t])
            for e, (_e, _p, tags) in zip(entries, drafts, strict=True)
            for t in tags
        ]
    )
    Post.tags.through.objects.bulk_create(
        [
            Post.tags.through(post_id=e.post_id, tag_id=tag[t])
            for e, (_e, _p, tags) in zip(entries, drafts, strict=True)
            if e.post_id
            for t in tags
        ]
    )
    _comment(state, [e for e in entries if e.post_id and e.community_id is None], rng)
    state.counts.update(blog_entries=len(entries), blog_entries_published=len(posts))


def _comment(state: DemoState, entries, rng) -> None:
    """Colleagues of the diarists comment on about half the diary entries."""
    number_of = {pk: n for n, pk in enumerate(state.person_ids)}
    comments, counts = [], {}
    for entry in entries:
        contacts = sorted(state.contacts[number_of[entry.author_id]])
        if not contacts or rng.random() < 0.5:
            continue
        for k in range(rng.randint(1, 2)):
            when = entry.published_at + timedelta(hours=3 + 5 * k)
            if when > state.now:
                continue
            text = rng.choice(COMMENTS)
            comments.append(
                Comment(
                    post_id=entry.post_id,
                    author_id=state.person_ids[rng.choice(contacts)],
                    body=text,
                    body_html=markup.render(text).html,
                    created_at=when,
                )
            )
            counts[entry.post_id] = (counts.get(entry.post_id, (0, when))[0] + 1, when)
    Comment.objects.bulk_create(comments)
    for post_id, (count, last) in counts.items():
        Post.objects.filter(pk=post_id).update(comment_count=count, last_activity_at=last)
