"""Do people suggestions find the contacts people make next? Prints figures; not a test.

    .venv/bin/python bench/recommendations.py [--db PATH] [--reuse] [--data ../shared/data]
                                              [--split newest|random] [--hide 0.2] [--seed 1]

Builds the demo organisation (`kollega demo`: 1,005 people of a real e-mail network in
42 departments, with the Beer, Wine & Spirits Stack Exchange's questions, answers and
tags) in its own SQLite file, or `--reuse`s it. Then, inside a transaction that is
rolled back at the end:

- hides 20 % of the contact pairs: the newest by date (`Contact.since`, then id: the
  demo writes every pair at build time, so this is the order it wrote them in), or
  with `--split random` a random fifth;
- for every active person with a hidden contact, asks the product's own
  `recommend_people(person, limit=20)` and two baselines computed on the same
  remaining contacts: "most connected people" (the most contacts first) and "shared
  contacts count" (the most contacts in common first, then the most connected);
- reports precision@5 (hidden contacts among the first five) and recall@20 (share of
  one's hidden contacts among the first twenty), averaged over those people, and
  the same for the product's method with only one kind of evidence each (ablations).

Baselines skip what the product skips: oneself, one's contacts, colleagues who
left or said no to being suggested. Also prints how long `recommend_people` and the
whole `recommend` (people, communities, content) took per person, uncached.
"""

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import stream  # noqa: E402  (bench/stream.py: setup_django, percentile)

DEFAULT_DB = Path("/tmp/kollega-bench-recommendations/kollega.sqlite3")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing database.")
    parser.add_argument("--data", type=Path, default=Path("..", "shared", "data"))
    parser.add_argument("--split", choices=("newest", "random"), default="newest")
    parser.add_argument("--hide", type=float, default=0.2, help="Share of pairs hidden.")
    parser.add_argument("--seed", type=int, default=1, help="For --split random.")
    return parser.parse_args()


def build(db: Path, data: Path, reuse: bool) -> None:
    """The demo organisation in `db` (migrated), built unless reused."""
    from django.core.management import call_command

    from kollega.demo import builder
    from kollega.people.models import Person

    if not reuse and db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        started = time.perf_counter()
        builder.build(data, progress=False, say=lambda text: None)
        print(f"demo organisation built in {time.perf_counter() - started:.0f} s")


def contact_pairs() -> list[tuple[int, int]]:
    """Every contact once (smaller id first), oldest first."""
    from django.db.models import F

    from kollega.network.models import Contact

    rows = Contact.objects.filter(person_id__lt=F("contact_id")).order_by("since", "id")
    return list(rows.values_list("person_id", "contact_id"))


def hide(pairs, share: float, split: str, seed: int):
    """(kept, hidden) pairs."""
    cut = round(len(pairs) * (1 - share))
    if split == "random":
        pairs = pairs[:]
        random.Random(seed).shuffle(pairs)
    return pairs[:cut], pairs[cut:]


def most_connected(candidates, degree, mine, person, k):
    ranked = sorted(
        (c for c in candidates if c != person and c not in mine), key=lambda c: (-degree[c], c)
    )
    return ranked[:k]


def shared_count(neighbours, candidates, degree, mine, person, k):
    common = defaultdict(int)
    for z in mine:
        for c in neighbours[z]:
            if c != person and c not in mine and c in candidates:
                common[c] += 1
    ranked = sorted(common, key=lambda c: (-common[c], -degree[c], c))
    return ranked[:k]


def scores(suggested: list[int], truth: set[int]) -> tuple[float, float]:
    """(precision@5, recall@20)."""
    return len(set(suggested[:5]) & truth) / 5, len(set(suggested[:20]) & truth) / len(truth)


ABLATIONS = {
    "shared contacts only (resource allocation)": dict(
        WEIGHT_TAG=0, WEIGHT_ANSWERED=0, WEIGHT_DEPARTMENT=0
    ),
    "department only": dict(WEIGHT_SHARED_CONTACTS=0, WEIGHT_TAG=0, WEIGHT_ANSWERED=0),
    "tags and answers only": dict(WEIGHT_SHARED_CONTACTS=0, WEIGHT_DEPARTMENT=0),
}


def evaluate(args) -> None:
    from django.db import transaction

    from kollega.network.models import Contact
    from kollega.people.models import Person
    from kollega.recommendations import services

    pairs = contact_pairs()
    kept, hidden = hide(pairs, args.hide, args.split, args.seed)
    candidates = set(
        Person.objects.filter(user__is_active=True, in_recommendations=True).values_list(
            "pk", flat=True
        )
    )
    neighbours = defaultdict(set)
    for a, b in kept:
        neighbours[a].add(b)
        neighbours[b].add(a)
    degree = defaultdict(int, {p: len(n) for p, n in neighbours.items()})
    truth = defaultdict(set)
    for a, b in hidden:
        if a in candidates and b in candidates:
            truth[a].add(b)
            truth[b].add(a)
    people = sorted(truth)
    print(
        f"{len(pairs):,} contact pairs, {len(hidden):,} hidden ({args.split}); "
        f"{len(people):,} people with a hidden contact"
    )
    methods = defaultdict(lambda: [0.0, 0.0])
    timings, whole = [], []
    with transaction.atomic():
        for a, b in hidden:
            Contact.objects.filter(person_id__in=(a, b), contact_id__in=(a, b)).delete()
        persons = Person.objects.select_related("user", "department").in_bulk(people)
        for pk in people:
            person, mine = persons[pk], neighbours[pk]
            started = time.perf_counter()
            ours = [r.id for r in services.recommend_people(person, limit=20)]
            timings.append((time.perf_counter() - started) * 1000)
            found = {
                "most connected people": most_connected(candidates, degree, mine, pk, 20),
                "shared contacts count": shared_count(neighbours, candidates, degree, mine, pk, 20),
                "Kollega (recommend_people)": ours,
            }
            for name, suggested in found.items():
                p5, r20 = scores(suggested, truth[pk])
                methods[name][0] += p5
                methods[name][1] += r20
        for name, weights in ABLATIONS.items():
            saved = {key: getattr(services, key) for key in weights}
            for key, value in weights.items():
                setattr(services, key, value)
            try:
                for pk in people:
                    ours = [r.id for r in services.recommend_people(persons[pk], limit=20)]
                    p5, r20 = scores(ours, truth[pk])
                    methods[f"  ablation: {name}"][0] += p5
                    methods[f"  ablation: {name}"][1] += r20
            finally:
                for key, value in saved.items():
                    setattr(services, key, value)
        for pk in random.Random(args.seed).sample(people, min(200, len(people))):
            started = time.perf_counter()
            services.recommend(persons[pk])
            whole.append((time.perf_counter() - started) * 1000)
        transaction.set_rollback(True)
    n = len(people)
    best = max(methods[m][0] / n for m in ("most connected people", "shared contacts count"))
    best_r = max(methods[m][1] / n for m in ("most connected people", "shared contacts count"))
    print()
    print("| method | precision@5 | recall@20 |")
    print("|---|---|---|")
    for name, (p5, r20) in methods.items():
        print(f"| {name} | {p5 / n:.3f} | {r20 / n:.3f} |")
    ours_p, ours_r = (v / n for v in methods["Kollega (recommend_people)"])
    print()
    print(
        f"Kollega against the better baseline: precision@5 ×{ours_p / best:.2f}, "
        f"recall@20 ×{ours_r / best_r:.2f}"
    )
    print(
        f"recommend_people(limit=20): p50 {stream.percentile(timings, 0.5):.1f} ms, "
        f"p99 {stream.percentile(timings, 0.99):.1f} ms; whole recommend() uncached, "
        f"{len(whole)} people: p50 {stream.percentile(whole, 0.5):.1f} ms, "
        f"p99 {stream.percentile(whole, 0.99):.1f} ms; load average "
        f"{os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    args = parse_args()
    os.environ["KOLLEGA_RECOMMENDATIONS_CACHE_SECONDS"] = "0"
    db = args.db.resolve()
    stream.setup_django(db)
    build(db, args.data.resolve(), args.reuse)
    evaluate(args)


if __name__ == "__main__":
    main()
