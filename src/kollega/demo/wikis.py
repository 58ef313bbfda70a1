"""Writing the wikis: the organisation's, with a social media policy written by several
colleagues over several revisions, and a page or two in a few communities.

Everything goes through the wiki services (revisions, watches and the "page
changed" notifications are what the product writes); afterwards the revisions
are spread over the past weeks, so the history reads as it would have happened.
"""

from datetime import timedelta

from kollega.communities.models import Community, Membership
from kollega.content.wikis import services
from kollega.content.wikis.models import Page, Revision
from kollega.demo.state import DemoState
from kollega.people.models import Person

POLICY_1 = """**Purpose.** Social media is part of how we work and how people find us. This \
policy helps every colleague use it well, on our own channels and on their own.

**Who it is for.** Everyone who works here, including consultants and summer staff.

**The short version**

- Be yourself, and say you work here when you talk about our work.
- Speak for yourself. Only the comms team speaks for the organisation.
- Think before you post: the internet does not forget.
"""

POLICY_2 = (
    POLICY_1
    + """
**Confidential information**

- Never share customer data, prices, contracts or anything marked internal.
- Results, products and projects are public only once they have been announced.
- When in doubt, ask your manager before you post.
"""
)

POLICY_3 = (
    POLICY_2.replace(
        "- Think before you post: the internet does not forget.\n",
        "- Think before you post: screenshots last longer than posts.\n"
        "- Be kind, also when others are not. Do not argue with trolls.\n",
    )
    + """
**Photos of colleagues**

- Ask before you post a photo where a colleague can be recognised.
- No photos from labs, server rooms or whiteboards without checking what is visible.
"""
)

POLICY_4 = (
    POLICY_3
    + """
**When something goes wrong**

Everyone makes mistakes. Delete the post if you can, tell your manager, and let the \
comms team know at once: see [[Press contacts]]. Logos and colours are in the \
[[Brand guidelines]].
"""
)

POLICY_5 = POLICY_4.replace(
    "- Speak for yourself. Only the comms team speaks for the organisation.\n",
    "- Speak for yourself. Only the comms team speaks for the organisation; "
    "journalists go to [[Press contacts]].\n",
).replace(
    "**Who it is for.** Everyone who works here, including consultants and summer staff.",
    "**Who it is for.** Everyone who works here, including consultants, trainees and "
    "summer staff, on work accounts and personal ones.",
)

POLICY = (
    (POLICY_1, "First draft, for comments"),
    (POLICY_2, "Added confidential information"),
    (POLICY_3, "Photos of colleagues; shorter rules"),
    (POLICY_4, "What to do when something goes wrong"),
    (POLICY_5, "Personal accounts and journalists, after the review with Legal"),
)

WELCOME = """This is the organisation's wiki: the place for what we want to keep and \
find again. Anyone can edit any page; every change is kept in the page's history.

Start with the [[Social media policy]], the [[Onboarding checklist]] or \
[[Travel and expenses]]. Link pages with two square brackets around a title; a link to a \
page that does not exist yet shows in red, ready to be written.
"""

PRESS = """Journalists and bloggers who ask about our work go to the comms team:

- press phone, weekdays 8–17: +46 8 555 010 00
- press@example.org (read every hour in office time)

Do not answer questions about results, customers or incidents yourself; say \
"I will put you in touch with our press office" and pass it on. See the \
[[Social media policy]].
"""

ONBOARDING = """A checklist for managers and new colleagues.

1. Before day one: laptop, badge, accounts, a desk near the team.
2. Day one: a welcome lunch, the tour, the [[Social media policy]].
3. First week: meet the people in [[First week]].
4. First month: a follow-up talk with the manager.
"""

FIRST_WEEK = """- Meet your buddy every day for a short coffee.
- Fill in your profile and tag what you know, so colleagues can find you.
- Join the communities of your team and your interests.
"""

TRAVEL = """Book train before flight for trips under five hours. Keep receipts for \
everything above 100 kr; photos of them are fine. Per diems follow the tax agency's \
rates. Questions: ask in the finance community.
"""

COMMUNITY_PAGES = (
    (
        "How we work",
        "Our shared notes: decisions, recurring meetings and who to ask.\n\n"
        "- Weekly sync on Tuesdays, 10:00.\n- Notes go to [[Meeting notes]].\n",
    ),
    (
        "Meeting notes",
        "**Latest meeting**\n\n- Agreed to collect our links here instead of in e-mail.\n"
        "- Next time: plan the spring workshop.\n",
    ),
)


def create_wikis(state: DemoState) -> None:
    """The organisation's wiki and pages in up to three communities."""
    rng = state.rng("wikis")
    people = list(
        Person.objects.filter(pk__in=state.person_ids[:40]).select_related("user").order_by("pk")
    )
    persona = people[0]
    writers = [persona, *rng.sample(people[1:], 4)]
    welcome = services.create_page(writers[1], None, "Welcome to the wiki", WELCOME)
    policy = _policy(writers)
    press = services.create_page(writers[2], None, "Press contacts", PRESS, parent=policy)
    onboarding = services.create_page(writers[3], None, "Onboarding checklist", ONBOARDING)
    services.create_page(writers[4], None, "First week", FIRST_WEEK, parent=onboarding)
    services.create_page(writers[1], None, "Travel and expenses", TRAVEL)
    services.watch_page(persona, welcome)
    services.watch_page(persona, press)
    pages = 6 + _community_pages(state, rng)
    _spread_in_time(state, rng)
    state.counts.update(wiki_pages=pages, wiki_revisions=Revision.objects.count())


def _policy(writers: list[Person]) -> Page:
    """The social media policy, drafted by one colleague and improved by three more
    (the demo persona among them, so they watch it and hear of the later changes)."""
    # The policy talks about confidential information and carries none: the share guard's
    # warning about the word is answered as an editor would.
    reason = "a policy about confidential information, not confidential itself"
    page = services.create_page(
        writers[2],
        None,
        "Social media policy",
        POLICY[0][0],
        summary=POLICY[0][1],
        guard_override=reason,
    )
    editors = (writers[3], writers[0], writers[2], writers[4])
    for editor, (body, summary) in zip(editors, POLICY[1:], strict=True):
        services.edit_page(
            editor,
            page,
            base_revision=page.current_revision.number,
            body=body,
            summary=summary,
            guard_override=reason,
        )
        page.refresh_from_db()
    return page


def _community_pages(state: DemoState, rng) -> int:
    """Two linked pages in each of three communities (one of them restricted, if any)."""
    restricted = list(Community.objects.filter(kind=Community.Kind.RESTRICTED).order_by("pk")[:1])
    public = list(Community.objects.exclude(kind=Community.Kind.RESTRICTED).order_by("pk")[:2])
    made = 0
    for community in public + restricted:
        members = list(
            Membership.objects.filter(community=community)
            .select_related("person__user")
            .order_by("role", "pk")[:3]
        )
        if not members:
            continue
        for n, (title, body) in enumerate(COMMUNITY_PAGES):
            author = members[n % len(members)].person
            services.create_page(author, community, title, body)
            made += 1
    return made


def _spread_in_time(state: DemoState, rng) -> None:
    """Revisions were saved over the past six weeks, in the order they were written."""
    revisions = list(Revision.objects.order_by("pk"))
    start = state.now - timedelta(days=42)
    step = timedelta(days=40) / max(len(revisions), 1)
    for n, revision in enumerate(revisions):
        revision.created_at = start + step * n + timedelta(minutes=rng.randint(0, 600))
    Revision.objects.bulk_update(revisions, ["created_at"])
    pages = list(Page.objects.select_related("current_revision"))
    for page in pages:
        page.created_at = min(r.created_at for r in revisions if r.page_id == page.pk)
        page.updated_at = page.current_revision.created_at
    Page.objects.bulk_update(pages, ["created_at", "updated_at"])
