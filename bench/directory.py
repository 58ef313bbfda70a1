"""Time the people directory: its first page and count, for what someone types.

    DATABASE_URL=... .venv/bin/python bench/directory.py [--repeat 5] [QUERY ...]

On an existing organisation (`DATABASE_URL`; e.g. the 100,000 people of
`bench/stream.py`, or PostgreSQL's `kollega_load100k` from `bench/load.py`).
For each query (by default nothing typed, one letter, common words, a rare
one) it runs `people.services.find_people` through Django's paginator as the
directory page does — the count and the first 24 cards — and prints how many
match and the best and median milliseconds. It reads only; if the directory's
word index is empty (databases bulk-loaded before it existed), pass
`--index-words` once to fill it.
"""

import argparse
import os
import statistics
import sys
import time

import django

import kollega  # noqa: F401  (first: it chooses the SQLite library Django will use)

QUERIES = ["", "p", "person", "colleague", "person 1", "person 12345"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="*", default=QUERIES, help="what is typed")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument(
        "--index-words", action="store_true", help="fill an empty directory word index first"
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    django.setup()
    from django.core.paginator import Paginator
    from django.db import connection

    from kollega.people.directory import index_people
    from kollega.people.models import DirectoryWord, Person
    from kollega.people.services import find_people

    people = Person.objects.count()
    if args.index_words and not DirectoryWord.objects.exists():
        index_people(Person.objects.values_list("pk", flat=True))
    print(f"{connection.vendor}, {people:,} people, {DirectoryWord.objects.count():,} words")
    print(f"{'typed':16} {'matches':>8} {'best ms':>8} {'median ms':>10}")
    for query in args.queries:
        timings = []
        for _ in range(args.repeat + 1):  # the first run warms the caches, untimed
            started = time.perf_counter()
            page = Paginator(find_people(query), 24).get_page(1)
            matches = page.paginator.count
            list(page.object_list)
            timings.append((time.perf_counter() - started) * 1000)
        timed = timings[1:]
        print(f"{query!r:16} {matches:>8,} {min(timed):8.1f} {statistics.median(timed):10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
