"""How fast is the home stream on a big organisation? Prints figures; not a test.

    .venv/bin/python bench/stream.py [--people 100000] [--posts 2000000] [--queries 1000]
                                     [--db PATH] [--reuse] [--more] [--gc-freeze]

Builds its own SQLite database (default /tmp/kollega-bench/kollega.sqlite3) with
raw `executemany` inserts: people with sign-in accounts, contacts both ways,
follows, tag follows, posts (about 80% organisation, 15% network, 5% board),
comments, tags and mentions. Then, for random people and each stream filter,
it times `home_stream()` (first page, fully evaluated with its comments) and
prints p50/p99 per filter and the query plan of each filter.
"""

import argparse
import gc
import os
import platform
import random
import shlex
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_DB = Path("/tmp/kollega-bench/kollega.sqlite3")
CHUNK = 50_000
DEPARTMENTS = 50
TAGS = 500
AUDIENCES = (("organisation", 0.80), ("network", 0.15), ("board", 0.05))
WORDS = (
    "budget", "deadline", "meeting", "report", "customer", "release", "data", "lab", "sample",
    "review", "draft", "travel", "office", "team", "project", "plan", "summary", "question",
    "idea", "update", "training",
)  # fmt: skip


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=1000, help="People timed per filter.")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="The SQLite file to use.")
    parser.add_argument("--reuse", action="store_true", help="Keep an existing database.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--more",
        action="store_true",
        help="Also time the next page (the first page's cursor) and the 'newer' count "
        "(since the first page's sixth post) of each filter.",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after warm-up, as a web worker would after start-up.",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        choices=sorted(QUERY_VARIANTS) + sorted(INDEX_VARIANTS),
        help="Measure with a candidate change patched in (may be given more than once).",
    )
    return parser.parse_args()


def setup_django(db: Path) -> None:
    """Point Kollega at the bench's own database before Django starts."""
    db.parent.mkdir(parents=True, exist_ok=True)
    os.environ["KOLLEGA_DATA_DIR"] = str(db.parent)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    import django

    django.setup()


def stamp(moment: datetime) -> str:
    """A datetime the way Django stores it in SQLite (UTC, no offset)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


# --- building ----------------------------------------------------------------------------


class Builder:
    """Writes a synthetic organisation straight into the tables, fast."""

    def __init__(self, people: int, posts: int, seed: int) -> None:
        self.n_people, self.n_posts = people, posts
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC)
        self.department = [self.rng.randrange(DEPARTMENTS) for _ in range(people)]
        self.contacts: list[list[int]] = []
        # A few people post a lot, most a little: log-normal, so the busiest of 100,000
        # writes a couple of posts a day, not a Pareto tail's tenth of all posts.
        self.post_weight = [self.rng.lognormvariate(0, 1.0) for _ in range(people)]
        self.tag_weight = [1 / (rank + 1) for rank in range(TAGS)]

    def run(self, cursor, progress) -> dict[str, int]:
        """Every table, in dependency order; returns row counts."""
        counts = {}
        counts["people"] = self.people(cursor)
        progress.update(1)
        counts["contacts"] = self.write_contacts(cursor)
        progress.update(1)
        counts["person follows"], counts["tag follows"] = self.follows(cursor)
        progress.update(1)
        counts.update(self.posts(cursor, progress))
        return counts

    def people(self, cursor) -> int:
        """Departments, offices, sign-in accounts and profiles; person i has id i+1."""
        joined = stamp(self.now - timedelta(days=800))
        cursor.executemany(
            "INSERT INTO people_department (id, name, parent_id) VALUES (%s, %s, NULL)",
            [(d + 1, f"Department {d + 1}") for d in range(DEPARTMENTS)],
        )
        cursor.execute(
            "INSERT INTO people_office (id, name, city, country, time_zone) "
            "VALUES (1, 'Stockholm HQ', 'Stockholm', 'SE', '')"
        )
        cursor.executemany(
            "INSERT INTO auth_user (id, password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined) "
            "VALUES (%s, '!', 0, %s, 'Person', %s, %s, 0, 1, %s)",
            ((i + 1, f"p{i}", str(i), f"p{i}@bench.example", joined) for i in range(self.n_people)),
        )
        cursor.executemany(
            "INSERT INTO people_person (id, user_id, name, title, languages, about, phone, "
            "photo, board_visibility, language, joined_at, department_id, office_id, time_zone, "
            "public_pages, contacts_seen_by, phone_seen_by, location_seen_by, in_who_knows, "
            "in_recommendations) "
            "VALUES (%s, %s, %s, 'Colleague', 'English', '', '', '', 'organisation', '', %s, "
            "%s, 1, '', 0, 'everyone', 'everyone', 'everyone', 1, 1)",
            (
                (i + 1, i + 1, f"Person {i}", joined, self.department[i] + 1)
                for i in range(self.n_people)
            ),
        )
        from kollega.people.directory import words_of

        # The directory's words, as the product keeps them for every saved person.
        cursor.executemany(
            "INSERT INTO people_directoryword (person_id, word) VALUES (%s, %s)",
            (
                (i + 1, word)
                for i in range(self.n_people)
                for word in sorted(words_of(f"Person {i}", f"p{i}", "Colleague"))
            ),
        )
        return self.n_people

    def write_contacts(self, cursor) -> int:
        """10-25 picks per person, mostly in their department; stored both ways."""
        rng, n = self.rng, self.n_people
        by_department: list[list[int]] = [[] for _ in range(DEPARTMENTS)]
        for person, department in enumerate(self.department):
            by_department[department].append(person)
        pairs: set[int] = set()
        for a in range(n):
            for _pick in range(rng.randint(10, 25)):
                same = by_department[self.department[a]]
                b = rng.choice(same) if rng.random() < 0.7 else rng.randrange(n)
                if a != b:
                    pairs.add(min(a, b) * n + max(a, b))
        self.contacts = [[] for _ in range(n)]
        for pair in pairs:
            a, b = divmod(pair, n)
            self.contacts[a].append(b)
            self.contacts[b].append(a)
        since = stamp(self.now - timedelta(days=400))
        rows = ((a + 1, b + 1, since) for a in range(n) for b in self.contacts[a])
        cursor.executemany(
            "INSERT INTO network_contact (person_id, contact_id, since) VALUES (%s, %s, %s)", rows
        )
        return 2 * len(pairs)

    def follows(self, cursor) -> tuple[int, int]:
        """A few followed colleagues (contacts or busy posters) and a few followed tags."""
        rng, since = self.rng, stamp(self.now - timedelta(days=100))
        busy = sorted(range(self.n_people), key=lambda p: -self.post_weight[p])[:1000]
        cursor.executemany(
            "INSERT INTO tags_tag (id, name) VALUES (%s, %s)",
            [(t + 1, f"topic-{t}") for t in range(TAGS)],
        )
        people, tags = [], []
        for a in range(self.n_people):
            chosen = {
                rng.choice(self.contacts[a])
                if self.contacts[a] and rng.random() < 0.5
                else rng.choice(busy)
                for _ in range(rng.randint(0, 10))
            } - {a}
            people += [(a + 1, b + 1, since) for b in sorted(chosen)]
            topics = set(rng.choices(range(TAGS), weights=self.tag_weight, k=rng.randint(0, 4)))
            tags += [(a + 1, t + 1, since) for t in sorted(topics)]
        cursor.executemany(
            "INSERT INTO network_personfollow (follower_id, followed_id, since) "
            "VALUES (%s, %s, %s)",
            people,
        )
        cursor.executemany(
            "INSERT INTO network_tagfollow (follower_id, tag_id, since) VALUES (%s, %s, %s)", tags
        )
        return len(people), len(tags)

    def posts(self, cursor, progress) -> dict[str, int]:
        """Posts over two years in id order, with their comments, tags and mentions."""
        counts = dict.fromkeys(("posts", "comments", "post tags", "mentions"), 0)
        start = self.now - timedelta(days=730)
        step = timedelta(days=730) / max(self.n_posts, 1)
        comment_id = 0
        for first in range(0, self.n_posts, CHUNK):
            last = min(first + CHUNK, self.n_posts)
            authors = self.rng.choices(
                range(self.n_people), weights=self.post_weight, k=last - first
            )
            batch = Batch()
            for offset, post_id in enumerate(range(first + 1, last + 1)):
                created = start + step * post_id
                comment_id = self.post(batch, post_id, authors[offset], created, comment_id)
            batch.write(cursor)
            for name, rows in batch.sizes().items():
                counts[name] += rows
            progress.update(last - first)
        return counts

    def post(self, batch: "Batch", post_id: int, author: int, created, comment_id: int) -> int:
        """One post and what hangs off it; returns the last comment id used."""
        rng = self.rng
        audience = rng.choices([a for a, _w in AUDIENCES], weights=[w for _a, w in AUDIENCES])[0]
        owner = author
        if audience == "board" and self.contacts[author]:
            owner = rng.choice(self.contacts[author])
        # Only people who may see a post comment on it or are mentioned in it.
        circle = self.contacts[owner if audience == "board" else author]
        latest, comments = created, rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 3))
        for _n in range(comments):
            comment_id += 1
            latest = min(latest + timedelta(minutes=rng.expovariate(1 / 180)), self.now)
            commenter = self._visitor(audience, circle)
            batch.comments.append((comment_id, post_id, commenter + 1, _text(rng), stamp(latest)))
            if rng.random() < 0.03:
                batch.mentions.append((author + 1, post_id, comment_id, stamp(latest)))
        tags = set(rng.choices(range(TAGS), weights=self.tag_weight, k=rng.choice((0, 0, 1, 2))))
        batch.tags += [(post_id, t + 1) for t in sorted(tags)]
        if circle and rng.random() < 0.05:
            batch.mentions.append((rng.choice(circle) + 1, post_id, None, stamp(created)))
        body = _text(rng)
        batch.posts.append(
            (
                post_id,
                author + 1,
                owner + 1,
                audience,
                body,
                body,
                stamp(created),
                stamp(latest),
                comments,
            )
        )
        return comment_id

    def _visitor(self, audience: str, circle: list[int]) -> int:
        """Someone who may see a post with this audience."""
        if audience != "organisation" and circle:
            return self.rng.choice(circle)
        return self.rng.randrange(self.n_people)


class Batch:
    """Rows of one chunk of posts, written together."""

    def __init__(self) -> None:
        self.posts, self.comments, self.tags, self.mentions = [], [], [], []

    def sizes(self) -> dict[str, int]:
        """Rows per kind in this batch."""
        return {
            "posts": len(self.posts),
            "comments": len(self.comments),
            "post tags": len(self.tags),
            "mentions": len(self.mentions),
        }

    def write(self, cursor) -> None:
        """Insert every queued row."""
        cursor.executemany(
            "INSERT INTO posts_post (id, author_id, board_owner_id, audience, body, body_html, "
            "created_at, last_activity_at, comment_count, recommendation_count, source_name, "
            "source_url, source_author, classification) VALUES (%s, %s, %s, %s, %s, "
            "'<p>' || %s || '</p>', %s, %s, %s, 0, '', '', '', 1)",
            self.posts,
        )
        cursor.executemany(
            "INSERT INTO posts_comment (id, post_id, author_id, body, body_html, created_at, "
            "source_name, source_url, source_author) "
            "VALUES (%s, %s, %s, %s, '<p>' || %s || '</p>', %s, '', '', '')",
            [(i, p, a, body, body, c) for i, p, a, body, c in self.comments],
        )
        cursor.executemany(
            "INSERT INTO posts_post_tags (post_id, tag_id) VALUES (%s, %s)", self.tags
        )
        cursor.executemany(
            "INSERT INTO posts_mention (person_id, post_id, comment_id, created_at) "
            "VALUES (%s, %s, %s, %s)",
            self.mentions,
        )


def _text(rng: random.Random) -> str:
    """Some plausible words."""
    return " ".join(rng.choices(WORDS, k=rng.randint(8, 40))).capitalize() + "."


BULK_TABLES = (
    "auth_user",
    "people_person",
    "network_contact",
    "network_personfollow",
    "network_tagfollow",
    "posts_post",
    "posts_post_tags",
    "posts_comment",
    "posts_mention",
)


def build_or_reuse(db: Path, reuse: bool, people: int, posts: int, seed: int) -> str:
    """The organisation in `db`: migrated when reused (and there), else built; says which."""
    if reuse and db.exists():
        from django.core.management import call_command

        call_command("migrate", verbosity=0, skip_checks=True)
        return "reused"
    seconds, _counts = build(db, people, posts, seed)
    return f"built in {seconds:.0f} s"


def build(db: Path, people: int, posts: int, seed: int) -> tuple[float, dict[str, int]]:
    """Migrate, then load the organisation with the secondary indexes dropped.

    Loading into bare tables and indexing afterwards is several times faster than
    keeping every index up to date row by row; the indexes are recreated from
    the exact SQL the migrations wrote, so the schema ends up the same.
    """
    from django.core.management import call_command
    from django.db import connection, transaction
    from tqdm import tqdm

    started = time.perf_counter()
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    call_command("migrate", verbosity=0, skip_checks=True)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        indexes = _drop_indexes(cursor)
        steps = 3 + posts
        progress = tqdm(total=steps, file=sys.stderr, unit="row", unit_scale=True)
        with progress, transaction.atomic():
            counts = Builder(people, posts, seed).run(cursor, progress)
        for _name, sql in tqdm(indexes, file=sys.stderr, desc="Indexes"):
            cursor.execute(sql)
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started, counts


def _drop_indexes(cursor) -> list[tuple[str, str]]:
    """Drop the secondary indexes of the bulk tables; returns how to recreate them."""
    marks = ", ".join(["%s"] * len(BULK_TABLES))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        BULK_TABLES,
    )
    indexes = cursor.fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return indexes


# --- candidate changes, patched in for measuring -----------------------------------------
# Adopted and removed from here: the per-source "following" page (posts.stream.
# following_page, over the (tag, activity) index on the tag links) and the partial
# post_community_activity index.


def page_ids_first(posts, cursor=None, limit=None, *, comments=True):
    """stream_page, but the page's ids are chosen first and only they are joined.

    SQLite otherwise joins author, user, department, board owner and community for
    every candidate row and sorts those wide rows (bodies included) before LIMIT.
    """
    from django.db.models import Q

    from kollega.limits import STREAM_PAGE_ITEMS
    from kollega.posts.models import Post
    from kollega.posts.stream import StreamPage, decode_cursor, encode_cursor

    limit = limit or STREAM_PAGE_ITEMS
    if cursor:
        stamp, pk = decode_cursor(cursor)
        posts = posts.filter(Q(last_activity_at__lt=stamp) | Q(last_activity_at=stamp, pk__lt=pk))
    ids = posts.values("pk")[: limit + 1]
    page = Post.objects.filter(pk__in=ids).for_display().newest_activity_first()
    page = list(page.with_comments() if comments else page)
    more = len(page) > limit
    page = page[:limit]
    return StreamPage(posts=page, next_cursor=encode_cursor(page[-1]) if more and page else None)


QUERY_VARIANTS = {
    "page-ids-first": page_ids_first,
}

# Index definitions to try for a run: name -> (index replaced, CREATE INDEX sql).
INDEX_VARIANTS: dict[str, tuple[str, str]] = {}


def patch_stream(variant: str) -> None:
    """Swap a part of kollega.posts.stream for a candidate."""
    from kollega.posts import stream

    if variant == "page-ids-first":
        stream.stream_page = page_ids_first


@contextmanager
def index_variants(names: list[str]):
    """Replace indexes for the run, then put the migrations' own back."""
    from django.db import connection

    with connection.cursor() as cursor:
        originals = []
        for name in names:
            index, sql = INDEX_VARIANTS[name]
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [index])
            originals += [(index, row[0]) for row in cursor.fetchall()]
            cursor.execute(f'DROP INDEX IF EXISTS "{index}"')
            cursor.execute(sql)
        if names:
            cursor.execute("ANALYZE posts_post")
        try:
            yield
        finally:
            for index, sql in originals:
                cursor.execute(f'DROP INDEX IF EXISTS "{index}"')
                cursor.execute(sql)
            if originals:
                cursor.execute("ANALYZE posts_post")


# --- measuring ---------------------------------------------------------------------------


def sample_people(count: int, seed: int):
    """`count` random active people, loaded as the web request would load them."""
    from kollega.people.models import Person

    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = random.Random(seed).sample(range(1, top + 1), min(count, top))
    people = Person.objects.select_related("user").in_bulk(ids)
    return [people[i] for i in ids if i in people]


def time_filters(people, gc_freeze: bool = False, more: bool = False) -> dict[str, list[float]]:
    """Milliseconds for the first page of each filter, comments included, per person
    (with `more`, also "<filter> next" for the next page and "<filter> newer" for
    the 'newer' count since the first page's sixth post).

    Each page leaves reference cycles behind (prefetch caches between posts and
    comments), so the cyclic collector runs full collections now and then; with
    `gc_freeze` the objects that live for the whole run are kept out of them.
    """
    from tqdm import tqdm

    from kollega.posts.stream import FILTERS, encode_cursor, home_stream, newer_count

    timings: dict[str, list[float]] = {name: [] for name in FILTERS}
    if more:
        timings.update({f"{name} {what}": [] for name in FILTERS for what in ("next", "newer")})
    for person in people[:20]:  # warm the page cache before measuring
        for name in FILTERS:
            _evaluate(home_stream(person, name))
    if gc_freeze:
        gc.collect()
        gc.freeze()
    for person in tqdm(people, file=sys.stderr, desc="Timing", unit="person"):
        for name in FILTERS:
            started = time.perf_counter()
            first = home_stream(person, name)
            _evaluate(first)
            timings[name].append((time.perf_counter() - started) * 1000)
            if more and first.next_cursor:
                started = time.perf_counter()
                _evaluate(home_stream(person, name, first.next_cursor))
                timings[f"{name} next"].append((time.perf_counter() - started) * 1000)
            if more and first.posts:
                since = encode_cursor(first.posts[min(5, len(first.posts) - 1)])
                started = time.perf_counter()
                newer_count(person, name, since)
                timings[f"{name} newer"].append((time.perf_counter() - started) * 1000)
    return timings


def _evaluate(page) -> int:
    """Touch what a page renders, so nothing lazy escapes the timing."""
    return sum(len(post.comments.all()) + len(post.tags.all()) for post in page.posts)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def query_plans(person) -> dict[str, str]:
    """SQLite's plan for the main query of each filter (for "following", of each of
    its bounded sources: followed people first, then each followed tag)."""
    from kollega.posts.stream import FILTERS, following_sources, stream_posts

    plans = {name: stream_posts(person, name)[:21].explain() for name in FILTERS}
    sources = following_sources(person, None, 21)
    plans["following"] = "\n".join(source.explain() for source in sources)
    return plans


def machine() -> list[str]:
    """The facts that make the figures comparable."""
    # Imported here, once `kollega` has made it the SQLite library Kollega runs on
    # (importing it first would keep the system's; see ops/sqlite_library.py).
    import sqlite3

    import django

    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return [
        f"Machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {memory} memory, "
        f"{platform.system()} {platform.machine()}",
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        f"Command: {shlex.join([sys.executable, *sys.argv])}",
    ]


def report(args, build_seconds, counts, timings, plans, db: Path) -> None:
    """Print the figures."""
    print("\n".join(machine()))
    if args.variant:
        print(f"Variants patched in: {', '.join(args.variant)}")
    if args.gc_freeze:
        print("gc.freeze() after warm-up")
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    if build_seconds is None:
        print(f"Database: {db} ({size / 2**30:.2f} GiB), reused")
    else:
        print(f"Database: {db} ({size / 2**30:.2f} GiB), built in {build_seconds:.0f} s")
    if counts:
        print("Rows: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    print(f"home_stream() first page, {len(next(iter(timings.values())))} people per filter:")
    print(f"  {'filter':<17} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8} {'n':>5}")
    for name, values in timings.items():
        if not values:
            continue
        print(
            f"  {name:<17} {percentile(values, 0.5):8.1f} {percentile(values, 0.99):8.1f} "
            f"{max(values):8.1f} {statistics.fmean(values):8.1f} {len(values):5}"
        )
    print("Query plans (first person):")
    for name, plan in plans.items():
        print(f"  [{name}]")
        print("    " + plan.replace("\n", "\n    "))


def main() -> None:
    """Build (unless reused), measure, report."""
    args = parse_args()
    db = args.db.resolve()
    reuse = args.reuse and db.exists()
    setup_django(db)
    build_seconds, counts = (None, {}) if reuse else build(db, args.people, args.posts, args.seed)
    for variant in args.variant:
        if variant in QUERY_VARIANTS:
            patch_stream(variant)
    people = sample_people(args.queries, args.seed)
    with index_variants([v for v in args.variant if v in INDEX_VARIANTS]):
        timings = time_filters(people, args.gc_freeze, args.more)
        plans = query_plans(people[0])
    report(args, build_seconds, counts, timings, plans, db)


if __name__ == "__main__":
    main()
