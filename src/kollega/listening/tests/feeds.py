"""The fixture feeds in `../shared/data/feeds`, for the tests that read them (listening's
and the demo's); those tests skip where the feeds are not there (`needs_feeds`)."""

from pathlib import Path

import pytest


def shared_feeds() -> Path | None:
    """`shared/data/feeds` next to the project (or a worktree of it), if it is there."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "feeds"
        if candidate.is_dir():
            return candidate
    return None


FEEDS = shared_feeds()
needs_feeds = pytest.mark.skipif(FEEDS is None, reason="../shared/data/feeds is not here")
