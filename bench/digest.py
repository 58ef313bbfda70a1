"""How fast are the daily digests of a big organisation built? Prints figures; not a test.

    .venv/bin/python bench/digest.py [--people 100000] [--posts 2000000] [--limit N]
                                     [--db PATH] [--reuse] [--seed 1]

Builds (or with --reuse, reuses) the organisation of `bench/stream.py` (same
builder: people in 50 departments, about 35 contacts each, followed tags, posts
over two years with comments and mentions; no communities or questions), then
builds and renders the daily digest of every active person (or the first
`--limit`), for the day ending at the digest hour after the newest post, as
`kollega digest send` does but without queueing the mails: people streamed
with `.iterator()` in chunks of `digests.services.PEOPLE_PER_CHUNK`, their
choices read once per chunk. Prints people per second, the time each section
builder took in total, how many digests were empty, and the peak memory
(tracemalloc's peak of Python allocations, and the process's ru_maxrss).
"""

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stream  # noqa: E402  (bench/stream.py: the organisation builder)

DEFAULT_DB = Path("/tmp/kollega-bench-digest/kollega.sqlite3")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=2_000_000)
    parser.add_argument("--limit", type=int, default=0, help="Only the first N people (0: all).")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing database.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--tracemalloc", action="store_true", help="Also trace Python allocations (slower)."
    )
    return parser.parse_args()


def rss_mib() -> float:
    """The process's resident memory now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed_sections(totals: Counter):
    """Wrap each section builder so that its time is added to `totals`."""
    from kollega.digests import sections

    def wrap(build):
        def timed(*args):
            began = time.perf_counter()
            try:
                return build(*args)
            finally:
                totals[build.__name__] += time.perf_counter() - began

        return timed

    sections.SECTIONS[:] = [wrap(build) for build in sections.SECTIONS]
    # services imported SECTIONS by name: the same list object, changed in place.


def main() -> None:
    args = parse_args()
    db = args.db.resolve()
    stream.setup_django(db)

    from kollega.digests import sections, services
    from kollega.posts.models import Post

    build = stream.build_or_reuse(db, args.reuse, args.people, args.posts, args.seed)
    last = Post.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    now = last + timedelta(days=1)  # the morning after the newest post: its day is covered

    section_seconds: Counter = Counter()
    timed_sections(section_seconds)
    outcomes: Counter = Counter()
    items = 0
    if args.tracemalloc:
        tracemalloc.start()
    began, cpu_began = time.perf_counter(), time.process_time()
    done = 0
    people = services.people_to_send()
    if args.limit:
        people = people[: args.limit]
    chunk = []

    def run(chunk):
        nonlocal items, done
        gc.collect()  # as services.send_digests does per chunk
        services._prepare(chunk, "daily", now)
        for person in chunk:
            digest = services.build_digest(person, "daily", now)
            if digest.is_empty:
                outcomes["empty"] += 1
            else:
                services.render_digest(digest)
                outcomes["mailed"] += 1
                items += digest.item_count
            done += 1
        elapsed = time.perf_counter() - began
        current, peak = tracemalloc.get_traced_memory()
        traced = f", traced now {current / 2**20:.1f} MiB (peak {peak / 2**20:.1f})"
        print(
            f"  {done:>7} people  {done / elapsed:7.1f}/s  RSS {rss_mib():6.1f} MiB"
            + (traced if args.tracemalloc else ""),
            file=sys.stderr,
        )

    with sections.one_run():
        for person in people.iterator(chunk_size=services.PEOPLE_PER_CHUNK):
            chunk.append(person)
            if len(chunk) == services.PEOPLE_PER_CHUNK:
                run(chunk)
                chunk = []
        if chunk:
            run(chunk)
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    traced = f"peak Python memory (tracemalloc) {peak / 2**20:.1f} MiB; "
    traced = traced if args.tracemalloc else ""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print("\n".join(stream.machine()))
    print(f"Database: {db} ({build}); the digests cover the day before {now:%Y-%m-%d %H:%M}")
    print(
        f"{done} people in {elapsed:.0f} s: {done / elapsed:.1f} people/s "
        f"(100,000 people: {100_000 / (done / elapsed) / 60:.1f} min)"
    )
    print(
        f"CPU time {cpu:.0f} s: {done / cpu:.1f} people per CPU second (the machine's load "
        f"is shared; wall time counts what others ran meanwhile)"
    )
    print(
        f"digests mailed {outcomes['mailed']}, empty {outcomes['empty']}; "
        f"{items / max(outcomes['mailed'], 1):.1f} items per mailed digest"
    )
    print(f"{traced}peak RSS (ru_maxrss) {maxrss:.0f} MiB, at the end {rss_mib():.0f} MiB")
    for name, seconds in section_seconds.most_common():
        print(f"  {name:<22} {seconds * 1000 / max(done, 1):7.2f} ms per person")


if __name__ == "__main__":
    main()
