"""A smaller organisation made up in code, for when the public data is not at hand."""

import random
from datetime import UTC, datetime, timedelta

from kollega import markup
from kollega.demo.sources import Conversations, Message, OrganisationShape, Thread

SMALL_PEOPLE = 120
SMALL_DEPARTMENTS = 6

# (question or announcement, answers); #tags are written into the text itself.
THREADS = (
    ("Where do we keep the current template for customer proposals? I found three "
     "versions on the shared drive and none of them has the new logo. #sales #templates",
     ("The one under Sales/Templates/2024 is current; the others should be archived.",
      "Marketing updated it last week, I can send you the link.")),
    ("Has anyone tried the new expense app on a phone? Receipts from the Oslo trip keep "
     "failing to upload. #expenses #travel",
     ("It needs the photos as JPEG, HEIC fails silently. Switch the camera setting.",
      "Same here; IT Support has a ticket open for it.",
      "Worked for me after updating the app.")),
    ("Welcome to our new colleagues in Bergen! Say hello at the Friday coffee, 15:00 in "
     "the big kitchen. #onboarding #fika",
     ("Welcome! Bring your own mug, the office ones disappear.",)),
    ("Is there a good Python library for reading the lab instrument CSV exports? The "
     "timestamps are in three different formats. #python #data",
     ("pandas with a custom date parser handles it, I have a snippet.",
      "We wrote a small reader in Research Computing; it is on the internal git.")),
    ("Reminder: the security awareness training closes on Friday. It takes about twenty "
     "minutes. #security #training",
     ()),
    ("Who knows how the grant reporting works for the EU project? The portal asks for "
     "person-months and I am not sure how we count part-time. #grants #eu",
     ("Grants & Funding has a spreadsheet for exactly that; ask for the PM calculator.",
      "Part-time counts pro rata, 0.5 FTE for a month is 0.5 PM.")),
    ("Looking for someone who has set up single sign-on with our identity provider for a "
     "small web app. Any pointers? #sso #security",
     ("Platform Engineering has a checklist; the callback URL must be registered first.",)),
    ("The Manchester office is closed on Monday for the fire alarm upgrade. Please work "
     "from home or Göteborg's hot desks are free. #facilities",
     ("Thanks for the heads-up!",)),
    ("What is the best way to share a large data set (80 GB) with a partner university? "
     "#data #partnerships",
     ("Use the research file transfer service, not e-mail links; it keeps an audit trail.",
      "Legal needs a data processing agreement first if it has personal data.")),
    ("Can anyone recommend a course on negotiation? HR said there is a budget for it this "
     "year. #training #sales",
     ("The two-day course we ran in Stockholm last spring was very practical.",
      "Learning & Development keeps a list of approved providers.")),
    ("Our team is testing a new way to run retrospectives: silent writing first, then "
     "discussion. Curious whether others have tried it. #agile #meetings",
     ("We do that; it gives quieter people a voice.",
      "Works well remotely too with a shared board.")),
    ("Does anyone have experience with the new procurement threshold? Do I need three "
     "quotes for a 40,000 SEK instrument? #procurement",
     ("Yes, above 30,000 SEK three quotes are required.",)),
    ("Sharing my notes from the data engineering meetup in London: streaming pipelines, "
     "schema evolution and a lot about testing. #data #events",
     ("Great notes, thanks! Any slides on schema evolution?",)),
    ("Who can sign off on travel to the conference in Lisbon? My manager is on leave. "
     "#travel #expenses",
     ("The division head can approve when the manager is away.",
      "Add the approval to the travel request as an attachment.")),
    ("Tip: the meeting rooms on floor 3 now have working video bars. Booking through the "
     "calendar works as before. #facilities #meetings",
     ()),
    ("Is there a style guide for the annual report? Communications asked for charts in "
     "the house colours. #communications #templates",
     ("The brand page on the intranet has the palette and a chart template.",)),
    ("I am looking for a mentor in project management. Anyone willing to have a coffee "
     "once a month? #mentoring #projects",
     ("Happy to! Send me a message.", "The Project Office runs a mentoring pairing too.")),
    ("How do we archive lab notebooks when a project ends? #research #archives",
     ("Library & Archives takes them; there is a form for the hand-over.",)),
    ("New to Kollega: you can tag colleagues with what they know. Try it on someone who "
     "helped you this week. #kollega",
     ("Nice, just tagged two people in Finance.",)),
    ("Which VPN profile should I use when visiting the Oslo office? #it-support #travel",
     ("The office Wi-Fi does not need VPN; use the guest profile only for visitors.",)),
)  # fmt: skip


def generate_organisation(rng: random.Random) -> OrganisationShape:
    """About 120 people in 6 departments, denser contacts inside a department."""
    sizes = _split(SMALL_PEOPLE, SMALL_DEPARTMENTS, rng)
    department_of = [d for d, size in enumerate(sizes) for _ in range(size)]
    pairs = set()
    for a in range(SMALL_PEOPLE):
        for b in range(a + 1, SMALL_PEOPLE):
            chance = 0.22 if department_of[a] == department_of[b] else 0.03
            if rng.random() < chance:
                pairs.add((a, b))
    return OrganisationShape(department_of, pairs, origin="generated")


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven sizes of at least 5."""
    weights = [rng.uniform(0.5, 2.0) for _ in range(parts)]
    sizes = [max(5, int(total * w / sum(weights))) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def generate_conversations(rng: random.Random) -> Conversations:
    """The threads above spread over the last two months, by some forty authors."""
    start = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    threads = []
    for number, (question, answers) in enumerate(THREADS):
        asked = start + timedelta(days=number * 3, hours=rng.randint(0, 9))
        thread = Thread(_message(rng, question, asked), [])
        for reply in answers:
            asked += timedelta(minutes=rng.randint(10, 1200))
            thread.answers.append(_message(rng, reply, asked))
        threads.append(thread)
    tags = sorted({tag for question, _answers in THREADS for tag in _tags(question)})
    weights = {tag: rng.randint(1, 30) for tag in tags}
    return Conversations(threads, weights, origin="generated")


def _tags(text: str) -> list[str]:
    """The #tags written in a text."""
    return markup.find_mentions_and_tags(text)[1]


def _message(rng: random.Random, text: str, created_at: datetime) -> Message:
    """A generated message by one of forty busy people."""
    return Message(
        author_key=f"person:{rng.randint(0, 39)}",
        text=text,
        created_at=created_at,
        tags=_tags(text),
        score=rng.randint(0, 9),
    )
