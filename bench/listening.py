"""Time listening's watch terms: match 100,000 items against 1,000 terms, print items per second.

    .venv/bin/python bench/listening.py [--items 100000] [--terms 1000] [--data ../shared/data]

Items are the fixture feeds' real items (`DATA/feeds`, read as `kollega listening
ingest` reads them), repeated and shuffled up to `--items`; without the folder,
generated sentences in English, Swedish and Norwegian. Terms are drawn from the
items' own words: single words, two-word phrases (`"a b"`) and exclusions
(`a -b`), so many match somewhere. Each item is matched as ingest matches it
(`listening.services.matched_terms`: title and plain text, with the Swedish,
Norwegian and English forms search uses). The aim is 2,000 items/s or more.
Needs no database.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

import django

import kollega  # noqa: F401  (first: it chooses the SQLite library Django will use)

SENTENCES = [
    "Kollega ships a new release with faster search for the whole organisation.",
    "Vi testade Kollega i veckan och fikat blev bättre än mötena.",
    "Møtet om den nye appen er flyttet til torsdag, husk kaffen.",
    "The competitor's product launch was delayed again, say analysts in Oslo.",
    "Kundtjänsten svarade snabbt på min fråga om fakturan.",
    "Bjørn skrev et blogginnlegg om personvern og sikkerhet på jobben.",
]


def feed_items(data: Path) -> list[tuple[str, str]]:
    from kollega.listening.readers import ReadError, read_feed

    items = []
    for path in sorted((data / "feeds").rglob("*")):
        if path.is_file():
            try:
                items += [(i.title, i.content_html) for i in read_feed(path.read_bytes()).items]
            except ReadError:
                continue
    return items


def generated_items(rng: random.Random, count: int) -> list[tuple[str, str]]:
    return [
        (rng.choice(SENTENCES)[:60], " ".join(rng.choices(SENTENCES, k=rng.randint(2, 8))))
        for _ in range(count)
    ]


def make_terms(rng: random.Random, items, count: int) -> list[str]:
    from kollega.listening.readers import plain_text
    from kollega.search.text import words

    vocabulary = sorted(
        {w for title, html in items[:2000] for w in words(f"{title} {plain_text(html)}")
         if len(w) > 3 and not w.isdigit()}
    )  # fmt: skip
    terms: set[str] = set()
    while len(terms) < count:
        a, b = rng.choice(vocabulary), rng.choice(vocabulary)
        roll = rng.random()
        terms.add(a if roll < 0.6 else f'"{a} {b}"' if roll < 0.8 else f"{a} -{b}")
    return sorted(terms)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=Path("..", "shared", "data"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    django.setup()
    from kollega.listening.matching import Matcher
    from kollega.listening.readers import ItemData
    from kollega.listening.services import matched_terms

    rng = random.Random(args.seed)
    source = feed_items(args.data) if (args.data / "feeds").is_dir() else []
    kind = f"{len(source)} fixture feed items" if source else "generated sentences"
    source = source or generated_items(rng, 2000)
    terms = make_terms(rng, source, args.terms)
    items = [ItemData(external_id=str(n), title=t, content_html=h)
             for n, (t, h) in enumerate(rng.choices(source, k=args.items))]  # fmt: skip
    mean_chars = sum(len(i.title) + len(i.content_html) for i in items) / len(items)

    started = time.perf_counter()
    matcher = Matcher(terms)
    built = time.perf_counter() - started
    started = time.perf_counter()
    matched = sum(1 for item in items if matched_terms(matcher, item))
    elapsed = time.perf_counter() - started

    print(f"items: {len(items):,} from {kind}, {mean_chars:,.0f} characters of HTML on average")
    print(f"terms: {len(terms):,} (words, phrases, exclusions); matcher built in {built:.2f} s")
    print(f"matched: {matched:,} items ({matched / len(items):.0%}) in {elapsed:.1f} s")
    print(f"{len(items) / elapsed:,.0f} items/s (aim: 2,000 items/s or more)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
