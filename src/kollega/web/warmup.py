"""Warm a web process before it serves anyone.

Django does a lot of work on the first request of a process: it builds the URL
resolver, reads and compiles every template a page includes, and loads each
language's translation catalogue. On a fresh gunicorn worker that made the
first home page take about half a second instead of about 25 ms, which is what
a colleague unlucky enough to be first (and a load test's p99) saw. `warm()`
does that work at start, without touching the database, so it is safe before
gunicorn forks its workers.

`settle()` then moves everything alive after the warm-up (modules, templates,
URL patterns: some 160,000 objects) out of the garbage collector's sight with
`gc.freeze()`. Otherwise every full collection, a few times a minute under
load, walks all of them and stalls every thread of the worker for 100 ms or more.

`share_the_gil()` shortens the turns the worker's threads take with the GIL.
"""

import gc
import logging
import sys
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

log = logging.getLogger(__name__)


def _template_names(engine) -> list[str]:
    """Every template the Django engine can find, by name."""
    names = set()
    for loader in engine.engine.template_loaders:
        for directory in getattr(loader, "get_dirs", lambda: [])():
            root = Path(directory)
            names.update(str(p.relative_to(root)) for p in root.rglob("*.html"))
    return sorted(names)


def warm() -> int:
    """Build the URL resolver, load every language and compile every template."""
    get_resolver()._populate()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    count = 0
    for engine in engines.all():
        if not hasattr(engine, "engine"):  # only Django's own template engine
            continue
        for name in _template_names(engine):
            try:
                engine.get_template(name)
                count += 1
            except (TemplateDoesNotExist, TemplateSyntaxError) as error:  # never stop a start
                log.warning("Could not compile %s at start: %s", name, error)
    return count


def settle() -> None:
    """After `warm()`: collect once, then keep the long-lived objects out of later
    full collections (they are never garbage; only requests make garbage)."""
    gc.collect()
    gc.freeze()


# A thread whose query has returned waits for the GIL until the running thread's turn ends,
# up to 5 ms by Python's default. A home page makes about ten queries, on PostgreSQL each a
# round trip to another process, so it paid that wait ten times over: beside one busy
# thread of the same worker it took 140-260 ms (about 40 ms alone), and 90-150 ms with
# 1 ms turns (in-process, on the shared 2-core machine).
GIL_TURN_SECONDS = 0.001


def share_the_gil() -> None:
    """Let a thread back from the database run again within a millisecond, not five."""
    sys.setswitchinterval(GIL_TURN_SECONDS)
