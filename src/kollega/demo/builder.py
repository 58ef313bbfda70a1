"""Build the demo organisation: read or generate the sources, then write step by step.

Everything happens in one transaction, so a failed build leaves the database
as it was.
"""

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from kollega.demo import (
    blogs,
    bookmarks,
    communities,
    content,
    generated,
    history,
    listening,
    org,
    plan,
    questions,
    social,
    sources,
    wikis,
)
from kollega.demo.state import DemoState
from kollega.expertise.profiles import rebuild_demo
from kollega.search.indexing import reindex_demo

DATA_ENV = "KOLLEGA_DEMO_DATA"


@dataclass
class DemoResult:
    counts: dict[str, int]
    first_username: str
    seconds: float


def default_data_dir() -> Path:
    """$KOLLEGA_DEMO_DATA, else ../shared/data from where the command runs."""
    return Path(os.environ.get(DATA_ENV) or Path("..", "shared", "data"))


def read_sources(data_dir: Path, seed: int, small: bool, say: Callable[[str], None]) -> DemoState:
    """The organisation and conversations to build from; says what it falls back to."""
    if small:
        say("Building the smaller generated organisation (--small).")
    elif not (sources.has_email_network(data_dir) and sources.has_stack_exchange(data_dir)):
        say(f"{data_dir} not found; building a smaller generated organisation")
        small = True
    else:
        say(f"Building the demo organisation from {data_dir}")
    if small:
        shape = generated.generate_organisation(plan.step_rng(seed, "shape"))
        talk = generated.generate_conversations(plan.step_rng(seed, "talk"))
    else:
        shape = sources.read_email_network(data_dir)
        talk = sources.read_stack_exchange(data_dir)
    return DemoState(seed=seed, now=timezone.now(), shape=shape, talk=talk, data_dir=data_dir)


def _plan(state: DemoState) -> None:
    """Contacts, who wrote what and who knows about what, before any writing."""
    state.contacts = plan.neighbours(state.shape)
    degree = [len(c) for c in state.contacts]
    state.author_of = plan.authors(state.talk, degree, state.rng("authors"))
    state.interests = plan.interests(
        state.talk, state.author_of, len(degree), state.rng("interests")
    )


STEPS = (
    ("Planning", _plan),
    ("Departments", org.create_departments),
    ("Offices", org.create_offices),
    ("People", org.create_people),
    ("Managers", org.set_managers),
    ("Contacts", org.create_contacts),
    ("Administrator", org.create_admin),
    ("Tags", content.create_tags),
    ("Posts and comments", content.create_conversations),
    ("Questions and answers", questions.create_questions),
    ("Tags on people", social.tag_people),
    ("Follows", social.follow),
    ("Communities", communities.create_communities),
    ("Questions sent", questions.send_open_questions),
    ("Notifications", social.write_notifications),
    ("Invitations", social.welcome_the_first_people),
    ("Blogs", blogs.write_blogs),
    ("Bookmarks", bookmarks.save_bookmarks),
    ("Wikis", wikis.create_wikis),
    ("Listening", listening.create_listening),
    ("History", history.date_the_history),
    ("Search index", reindex_demo),
    ("Expertise profiles", rebuild_demo),
)


def build(
    data_dir: Path,
    seed: int = 42,
    small: bool = False,
    progress: bool = True,
    say: Callable[[str], None] = print,
) -> DemoResult:
    """Build the whole demo organisation; returns counts and the first person's user name."""
    started = time.perf_counter()
    state = read_sources(data_dir, seed, small, say)
    bar = tqdm(total=len(STEPS), file=sys.stderr, disable=not progress, unit="step")
    with bar, transaction.atomic():
        for label, step in STEPS:
            bar.set_description(label)
            step(state)
            bar.update()
    counts = {
        "people": len(state.person_ids),
        "departments": len(state.department_ids),
        "divisions": len(set(state.division_of.values())),
        "offices": len(state.office_ids),
        "contacts": len(state.shape.pairs),
        **state.counts,
    }
    elapsed = time.perf_counter() - started
    return DemoResult(counts, state.handles[0], elapsed)
