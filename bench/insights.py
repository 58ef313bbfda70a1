"""How fast are the insights panels on a big organisation? Prints figures; not a test.

    .venv/bin/python bench/insights.py [--people 100000] [--posts 2000000] [--queries 20]
                                       [--weeks 8] [--db PATH] [--reuse] [--seed 1]

Builds (or with --reuse, reuses) the organisation of `bench/stream.py` (same
builder, same SQLite file: people in 50 departments, contacts, follows, posts
over two years, comments; no communities or questions), gives every sampled
person's posts of the period impressions from 300 random colleagues, then
times each registered panel, computed on demand as the page does
(`insights.services.panel_figures`), for three viewers:

- organisation: the administrator, no filter (everyone's figures);
- department: the administrator with a random department chosen;
- own: a random colleague's own figures.

Before timing, rolls the rollups up from scratch (`kollega insights rollup
--rebuild`, as the first worker run does) and once more as the periodic job does
(today and yesterday), and prints how long each took. `--no-rollups` times the
panels computed from the rows themselves instead; `--keep-rollups` reuses the
rollups of a previous run.

Prints p50, p99 and max in milliseconds per panel and viewer, over the last
`--weeks` weeks before the newest post.
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stream  # noqa: E402  (bench/stream.py: the organisation builder)

VIEWERS_PER_POST = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=20, help="Timings per panel and viewer.")
    parser.add_argument("--weeks", type=int, default=8, help="The period's length.")
    parser.add_argument("--db", type=Path, default=stream.DEFAULT_DB)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing database.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-rollups", action="store_true", help="Compute from the rows, without rollups."
    )
    parser.add_argument(
        "--keep-rollups",
        action="store_true",
        help="Reuse the rollups a previous run built (only the periodic refresh).",
    )
    return parser.parse_args()


def give_impressions(people, start, rng: random.Random) -> int:
    """Impressions of the sampled people's posts in the period, as the stream records them."""
    from kollega.insights.models import Impression
    from kollega.people.models import Person
    from kollega.posts.models import Post

    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows = []
    for post_id, created in Post.objects.filter(
        author__in=people, created_at__gte=start
    ).values_list("pk", "created_at"):
        for viewer in rng.sample(range(1, top + 1), VIEWERS_PER_POST):
            day = (created + timedelta(days=rng.randrange(3))).date()
            rows.append(Impression(person_id=viewer, post_id=post_id, day=day))
    Impression.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def percentile(values: list[float], share: float) -> float:
    return stream.percentile(values, share)


def main() -> None:
    args = parse_args()
    db = args.db.resolve()
    stream.setup_django(db)
    from django.contrib.auth import get_user_model

    from kollega.insights import services
    from kollega.insights.panels import registered
    from kollega.people.models import Department
    from kollega.posts.models import Post

    build = stream.build_or_reuse(db, args.reuse, args.people, args.posts, args.seed)
    rng = random.Random(args.seed)
    people = stream.sample_people(args.queries, args.seed)
    admin = people[0]
    get_user_model().objects.filter(pk=admin.user_id).update(is_staff=True)
    admin.user.is_staff = True
    last = Post.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    end = last.date()
    start = end - timedelta(weeks=args.weeks) + timedelta(days=1)
    given = give_impressions(people, last - timedelta(weeks=args.weeks), rng)
    departments = list(Department.objects.all())
    from kollega.network.models import RollupState

    if args.no_rollups:
        RollupState.objects.all().delete()
        print("No rollups: every panel computed from the rows")
    else:
        began = time.perf_counter()
        services.refresh_rollups(rebuild=not (args.keep_rollups and RollupState.objects.exists()))
        rebuilt = time.perf_counter() - began
        began = time.perf_counter()
        services.refresh_rollups()
        print(
            f"Rollups: rebuilt in {rebuilt:.1f} s; "
            f"the periodic refresh took {time.perf_counter() - began:.2f} s"
        )

    def viewers(kind):
        for i in range(args.queries):
            if kind == "organisation":
                yield services.selection_for(admin, start, end)
            elif kind == "department":
                yield services.selection_for(admin, start, end, rng.choice(departments))
            else:
                # people[0] is the administrator: the others' own figures.
                yield services.selection_for(people[1 + i % (len(people) - 1)], start, end)

    print("\n".join(stream.machine()))
    print(f"Database: {db} ({build}); period {start} – {end}; {given} impressions given")
    print(f"{'panel':<12} {'viewer':<13} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in ("organisation", "department", "own"):
        timings = {panel.key: [] for panel in registered()}
        for selection in viewers(kind):
            for panel in registered():
                began = time.perf_counter()
                services.panel_figures(selection, panel)
                timings[panel.key].append((time.perf_counter() - began) * 1000)
        for key, values in timings.items():
            print(
                f"{key:<12} {kind:<13} {percentile(values, 0.5):8.1f} "
                f"{percentile(values, 0.99):8.1f} {max(values):8.1f}"
            )


if __name__ == "__main__":
    main()
