"""Writing bookmarks: intranet and public links saved by colleagues, some by many.

A few links are popular (the travel policy, the expense guide), most are saved
by a handful; people save links on their topics, and members share some with
their topic communities. The rows are what `bookmarks.services.save_bookmark`
would have written (the same normalised page key), only in bulk.
"""

from datetime import timedelta

from kollega.communities.models import Community, Membership
from kollega.content.bookmarks.models import Bookmark, BookmarkAudience
from kollega.content.bookmarks.services import address_fields, url_key
from kollega.demo.content import ensure_tags
from kollega.demo.state import DemoState

SAVERS_SHARE = 0.35  # of the people who save links at all
MOST_PER_PERSON = 8
INTRANET = "https://intranet.kollega.example"

# (address, title, tags, notes)
LINKS = (
    (f"{INTRANET}/wiki/travel-policy", "Travel policy", ["travel", "policy"],
     "Book through the travel desk; trains under five hours."),
    (f"{INTRANET}/wiki/expenses", "How to claim expenses", ["expenses", "how-to"],
     "Receipts within 30 days."),
    (f"{INTRANET}/wiki/onboarding", "Onboarding checklist", ["onboarding", "how-to"], ""),
    (f"{INTRANET}/wiki/social-media-policy", "Social media policy", ["policy", "social-media"],
     "Written together on the wiki; read before posting about work."),
    (f"{INTRANET}/it/vpn", "Setting up the VPN", ["it", "how-to"], "Works on Linux too."),
    (f"{INTRANET}/hr/holidays", "Holiday calendar", ["hr"], ""),
    (f"{INTRANET}/brand/logos", "Logos and brand guide", ["design", "brand"], ""),
    (f"{INTRANET}/quality/haccp", "HACCP plan for the brewery", ["quality", "brewing"], ""),
    ("https://www.systembolaget.se/", "Systembolaget", ["retail", "sweden"], ""),
    ("https://www.vinmonopolet.no/", "Vinmonopolet", ["retail", "norway"], ""),
    ("https://www.bjcp.org/style-guidelines/", "BJCP style guidelines", ["beer", "styles"],
     "The reference for beer styles."),
    ("https://beer.stackexchange.com/", "Beer, Wine & Spirits Stack Exchange", ["beer", "wine"],
     ""),
    ("https://en.wikipedia.org/wiki/Brewing", "Brewing (Wikipedia)", ["brewing"], ""),
    ("https://en.wikipedia.org/wiki/Wine_tasting", "Wine tasting (Wikipedia)", ["wine"], ""),
    ("https://en.wikipedia.org/wiki/Hops", "Hops (Wikipedia)", ["beer", "hops"], ""),
    ("https://www.food.gov.uk/business-guidance/allergen-guidance-for-food-businesses",
     "Allergen guidance for food businesses", ["quality", "allergens"], ""),
    ("https://www.livsmedelsverket.se/", "Livsmedelsverket", ["quality", "sweden"], ""),
    ("https://www.mattilsynet.no/", "Mattilsynet", ["quality", "norway"], ""),
    ("https://www.gov.uk/guidance/alcohol-duty", "Alcohol Duty guidance", ["tax", "uk"], ""),
    ("https://docs.python.org/3/tutorial/", "The Python tutorial", ["python", "it"], ""),
    ("https://developer.mozilla.org/en-US/docs/Web/Accessibility",
     "Accessibility (MDN)", ["accessibility", "it"], "Checklist for our web pages."),
    ("https://www.postgresql.org/docs/current/", "PostgreSQL documentation", ["it"], ""),
    ("https://commonmark.org/help/", "Markdown in 60 seconds", ["how-to", "writing"],
     "What works in posts and blog entries."),
    ("https://www.w3.org/WAI/standards-guidelines/wcag/", "WCAG overview",
     ["accessibility"], ""),
    ("https://www.ipcc.ch/report/ar6/syr/", "IPCC synthesis report", ["sustainability"], ""),
    ("https://www.wineaustralia.com/growing-making", "Growing and making wine",
     ["wine", "growing"], ""),
)  # fmt: skip


def _weights(n: int) -> list[float]:
    """Popularity: the first links are saved far more often than the last (Zipf-like)."""
    return [1 / (rank + 1) ** 0.8 for rank in range(n)]


def save_bookmarks(state: DemoState) -> None:
    """Bookmarks of about a third of the people, and links shared with topic communities."""
    rng = state.rng("bookmarks")
    ensure_tags(state, {t for _u, _t, tags, _n in LINKS for t in tags})
    weights = _weights(len(LINKS))
    keys = [url_key(url) for url, _t, _tags, _n in LINKS]
    rows: dict[tuple[int, str], tuple[Bookmark, list[str]]] = {}
    for n, person_id in enumerate(state.person_ids):
        if n != 0 and rng.random() > SAVERS_SHARE:
            continue
        for i in set(rng.choices(range(len(LINKS)), weights, k=rng.randint(1, MOST_PER_PERSON))):
            audience = rng.choices(
                (BookmarkAudience.ORGANISATION, BookmarkAudience.NETWORK, BookmarkAudience.PRIVATE),
                (0.75, 0.15, 0.10),
            )[0]
            rows[(person_id, keys[i])] = _bookmark(state, rng, person_id, i, audience)
    _share_with_communities(state, rng, keys, rows)
    saved = Bookmark.objects.bulk_create([b for b, _tags in rows.values()], batch_size=2000)
    tag = state.tag_ids
    Bookmark.tags.through.objects.bulk_create(
        [
            Bookmark.tags.through(bookmark_id=b.pk, tag_id=tag[t])
            for b, (_b, tags) in zip(saved, rows.values(), strict=True)
            for t in tags
        ],
        batch_size=5000,
    )
    state.counts["bookmarks"] = len(saved)


def _bookmark(state, rng, person_id, i, audience, community=None):
    url, title, tags, notes = LINKS[i]
    when = state.now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 600))
    bookmark = Bookmark(
        person_id=person_id,
        **address_fields(url),
        title=title,
        notes=notes if rng.random() < 0.5 else "",
        audience=BookmarkAudience.COMMUNITY if community else audience,
        community=community,
        created_at=when,
        updated_at=when,
    )
    return bookmark, tags


def _share_with_communities(state, rng, keys, rows) -> None:
    """Members share links on a community's topic with it (each their own copy)."""
    topics = Community.objects.exclude(kind=Community.Kind.RESTRICTED).prefetch_related("tags")
    members = {}
    for community_id, person_id in Membership.objects.values_list("community_id", "person_id"):
        members.setdefault(community_id, []).append(person_id)
    for community in topics:
        names = {t.name for t in community.tags.all()}
        # Without a link on its topic, a community shares the intranet's own guides.
        on_topic = [i for i, (_u, _t, tags, _n) in enumerate(LINKS) if names & set(tags)]
        on_topic = on_topic or list(range(8))
        people = sorted(members.get(community.pk, []))
        if not people:
            continue
        for person_id in rng.sample(people, min(len(people), 6)):
            i = rng.choice(on_topic)
            rows[(person_id, keys[i])] = _bookmark(state, rng, person_id, i, None, community)
