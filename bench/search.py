"""How fast is social search on a big organisation? Prints figures; not a test.

    .venv/bin/python bench/search.py [--people 100000] [--posts 2000000] [--queries 1000]
                                     [--db PATH] [--reuse [--reindex]] [--data ../shared/data]
                                     [--gc-freeze]

Builds the organisation of `bench/stream.py` (same builder, same SQLite file
layout), but with post and comment texts made of real sentences from the
Beer, Wine & Spirits Stack Exchange dump, so queries meet a real vocabulary.
Then it builds the search index (`kollega.search.indexing.rebuild`, timed) and
times `search()` in-process for 1,000 queries drawn from the dump's question
titles, each as a random signed-in person, printing p50/p99.
"""

import argparse
import contextlib
import html
import random
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stream  # noqa: E402  (bench/stream.py: the organisation builder)

DEFAULT_DB = Path("/tmp/kollega-bench-search/kollega.sqlite3")
DEFAULT_DATA = Path("..", "shared", "data")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing database and index.")
    parser.add_argument(
        "--reindex", action="store_true", help="Keep an existing database, rebuild its index."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after the warm-up, as a web worker does after start-up.",
    )
    return parser.parse_args()


def read_stack_exchange(data: Path) -> tuple[list[str], list[str]]:
    """(question titles, sentences of every post body) from the dump's Posts.xml."""
    titles, sentences = [], []
    for _event, row in ET.iterparse(data / "stackexchange-beer" / "Posts.xml"):
        if row.tag != "row":
            continue
        if row.get("Title"):
            titles.append(html.unescape(row.get("Title")))
        body = re.sub(r"<[^>]+>", " ", html.unescape(row.get("Body", "")))
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(body.split())):
            if 20 <= len(sentence) <= 300:
                sentences.append(sentence)
        row.clear()
    return titles, sentences


def use_real_sentences(sentences: list[str]) -> None:
    """Posts and comments of one to three real sentences instead of stream.py's word salad."""

    def text(rng: random.Random) -> str:
        return " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))

    stream._text = text


def build_index() -> tuple[float, dict[str, int]]:
    from kollega.search.indexing import rebuild, tqdm_progress

    started = time.perf_counter()
    counts = rebuild(tqdm_progress)
    return time.perf_counter() - started, counts


def time_queries(
    people, titles: list[str], seed: int, gc_freeze: bool = False
) -> tuple[list[float], dict[str, int]]:
    """Milliseconds per search (the first page fully built: hits, snippets, facets)."""
    from django.core.exceptions import ValidationError
    from tqdm import tqdm

    from kollega.search.services import search
    from kollega.web.warmup import settle

    rng = random.Random(seed)
    queries = [rng.choice(titles) for _ in people]
    for person, query in zip(people[:20], queries[:20], strict=False):  # warm up
        with contextlib.suppress(ValidationError):
            search(person, query)
    if gc_freeze:
        settle()
    timings, outcome = [], {"with results": 0, "any word": 0, "capped": 0, "refused": 0}
    for person, query in tqdm(
        list(zip(people, queries, strict=True)), file=sys.stderr, desc="Searching", unit="query"
    ):
        started = time.perf_counter()
        try:
            results = search(person, query)
        except ValidationError:
            outcome["refused"] += 1
            continue
        finally:
            timings.append((time.perf_counter() - started) * 1000)
        outcome["with results"] += bool(results.hits)
        outcome["any word"] += results.any_word
        outcome["capped"] += not results.count_is_exact
    return timings, outcome


def main() -> None:
    args = parse_args()
    db = args.db.resolve()
    reuse = args.reuse and db.exists()
    titles, sentences = read_stack_exchange(args.data)
    use_real_sentences(sentences)
    stream.setup_django(db)
    build_seconds, counts, index_seconds, documents = None, {}, None, {}
    if not reuse:
        build_seconds, counts = stream.build(db, args.people, args.posts, args.seed)
    else:  # a kept database meets the code of today
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if not reuse or args.reindex:
        index_seconds, documents = build_index()
    people = stream.sample_people(args.queries, args.seed)
    timings, outcome = time_queries(people, titles, args.seed, args.gc_freeze)

    print("\n".join(stream.machine()))
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    if build_seconds is None:
        print(f"Database: {db} ({size / 2**30:.2f} GiB), reused")
    else:
        print(
            f"Database: {db} ({size / 2**30:.2f} GiB), organisation built in {build_seconds:.0f} s"
        )
        print("Rows: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    if index_seconds is not None:
        print(
            f"Search index built in {index_seconds:.1f} s: "
            + ", ".join(f"{v:,} {k}" for k, v in documents.items())
        )
    print(
        f"{len(timings)} searches (Stack Exchange titles, {len(titles)} to draw from), "
        f"each by a random person: "
        + ", ".join(f"{v} {k}" for k, v in outcome.items())
        + (" (gc frozen after the warm-up, as in a web worker)" if args.gc_freeze else "")
    )
    print(f"  {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8}")
    print(
        f"  {stream.percentile(timings, 0.5):8.1f} {stream.percentile(timings, 0.99):8.1f} "
        f"{max(timings):8.1f} {statistics.fmean(timings):8.1f}"
    )


if __name__ == "__main__":
    main()
