"""What the build steps share: the source data, the plan so far and the ids written."""

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kollega.demo import plan
from kollega.demo.sources import Conversations, OrganisationShape
from kollega.notifications.models import Notification


@dataclass
class DemoState:
    """People are numbered as in the source; `person_ids[n]` is person n's database id."""

    seed: int
    now: datetime
    shape: OrganisationShape
    talk: Conversations
    contacts: list[set[int]] = field(default_factory=list)
    author_of: dict[str, int] = field(default_factory=dict)
    interests: list[list[str]] = field(default_factory=list)
    department_ids: dict[int, int] = field(default_factory=dict)
    department_names: dict[int, str] = field(default_factory=dict)
    division_of: dict[int, str] = field(default_factory=dict)
    office_ids: list[int] = field(default_factory=list)
    line: plan.ReportingLine | None = None
    handles: list[str] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    admin_id: int | None = None
    tag_ids: dict[str, int] = field(default_factory=dict)
    # The posts that are questions (demo.questions.Asked), for the Q&A step.
    asked: list = field(default_factory=list)
    # Notifications are collected while building and written last, in one go, with
    # the moment each happened (the insert itself stamps them with "now").
    notifications: list[tuple[Notification, datetime]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # Where the source data was read from (None: generated); listening's fixture feeds.
    data_dir: Path | None = None

    def rng(self, step: str) -> random.Random:
        """The reproducible random generator of one step."""
        return plan.step_rng(self.seed, step)

    def notify(self, recipient: int, kind: str, actor: int, when: datetime, **about) -> None:
        """Queue a notification as the services would send it; never for one's own act."""
        if recipient != actor:
            notification = Notification(recipient_id=recipient, kind=kind, actor_id=actor, **about)
            self.notifications.append((notification, when))
