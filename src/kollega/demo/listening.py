"""Listening in the demo: sources read from the fixture feeds in ../shared/data/feeds, watch
terms, and the mentions they open, with a few weeks of answers and dismissals behind them.

Without the fixture feeds (the product runs without ../shared) the demo has no listening.
The demo organisation pretends to make Ruby and Rails and to compete with Google and
Microsoft, the names the fixture feeds talk about. The demo's sources have no address and
are never polled: nothing leaves the machine.
"""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import Group
from django.utils import timezone

from kollega.demo.state import DemoState
from kollega.listening import ambassadors, services
from kollega.listening.models import ExternalAccount, Item, Mention, Source, Term
from kollega.notifications.models import Notification
from kollega.permissions.listening import LISTENING_GROUP

FEEDS = (  # (source name, file under feeds/)
    ("Tender Lovemaking", "feedjira/TenderLovemaking.xml"),
    ("Trotter Cashion", "feedjira/TrotterCashionHome.xml"),
    ("Paul Dix Explains Nothing", "feedjira/PaulDixExplainsNothing.xml"),
    ("TechCrunch", "feedjira/TechCrunch.xml"),
    ("AWS blog", "feedjira/AmazonWebServicesBlog.xml"),
    ("Feedburner", "rss-parser/feedburner.atom"),
    ("JSON Feed", "feedjira/json_feed.json"),
)
AMBASSADOR_BLOG = "feedjira/SamRuby.xml"  # the second person's own blog, as an ambassador's
NEVER = timedelta(days=3650)  # a demo source's next poll: not in the demo's lifetime


def feeds_dir(state: DemoState) -> Path | None:
    folder = state.data_dir / "feeds" if state.data_dir else None
    return folder if folder and folder.is_dir() else None


def _source(name: str, file: Path, now) -> Source:
    return Source.objects.create(
        name=name,
        next_poll_at=now + NEVER,
        last_notes=f"Demo source, read from the fixture file {file.name}; never polled.",
    )


def create_listening(state: DemoState) -> None:
    """Terms, sources and mentions from the fixture feeds, if they are there."""
    folder = feeds_dir(state)
    if folder is None:
        state.counts["listening mentions"] = 0
        return
    first, second = state.person_ids[0], state.person_ids[1]
    team, _created = Group.objects.get_or_create(name=LISTENING_GROUP)
    team.user_set.add(*[p.user for p in _people([first])])
    Term.objects.bulk_create(
        [
            Term(phrase="ruby", kind=Term.Kind.BRAND, owner_person_id=first),
            Term(phrase="rails", kind=Term.Kind.PRODUCT, owner_person_id=second),
            Term(phrase="google", kind=Term.Kind.COMPETITOR),
            Term(phrase="microsoft", kind=Term.Kind.COMPETITOR),
            Term(phrase='"paul dix"', kind=Term.Kind.PERSON, owner_person_id=first),
        ]
    )
    now = timezone.now()
    for name, relative in FEEDS:
        file = folder / relative
        if file.is_file():
            services.ingest_file(_source(name, file, now), file)
    blog = folder / AMBASSADOR_BLOG
    if blog.is_file():
        source = _source(f"{state.handles[1]}: blog", blog, now)
        ExternalAccount.objects.create(
            person_id=second, kind=ExternalAccount.Kind.FEED, address=f"file:{blog.name}",
            source=source,
        )  # fmt: skip
        services.ingest_file(source, blog)
    _spread_over_weeks(state, now)
    # The demo's notifications are history, not mail to send when the worker starts.
    Notification.objects.filter(kind=Notification.Kind.LISTENING_MENTION).update(mail_due_at=None)
    state.counts["listening mentions"] = Mention.objects.count()
    state.counts["ambassadors"] = len(ambassadors.leading_ambassadors())


def _people(ids):
    from kollega.people.models import Person

    return Person.objects.filter(pk__in=ids).select_related("user")


def _spread_over_weeks(state: DemoState, now) -> None:
    """Mentions first seen over the last four weeks; the older ones mostly answered (in an
    hour to two days) or dismissed, the newest open, so the inbox and the charts have a
    past."""
    rng = state.rng("listening")
    mentions = list(Mention.objects.order_by("pk").select_related("term"))
    for mention in mentions:
        seen = now - timedelta(minutes=rng.randint(30, 28 * 24 * 60))
        mention.created_at = seen
        age = now - seen
        if age > timedelta(days=2) and rng.random() < 0.8:
            closed = seen + timedelta(minutes=rng.randint(20, 48 * 60))
            mention.closed_at = min(closed, now)
            mention.assignee_id = mention.term.owner_person_id or state.person_ids[0]
            mention.assigned_at = seen + (mention.closed_at - seen) / 3
            if rng.random() < 0.25:
                mention.state = Mention.State.DISMISSED
                mention.dismiss_reason = "Not about us."
            else:
                mention.state = Mention.State.ANSWERED
    Mention.objects.bulk_update(
        mentions,
        ["created_at", "closed_at", "assignee", "assigned_at", "state", "dismiss_reason"],
    )
    Item.objects.update(first_seen_at=now - timedelta(days=28))
