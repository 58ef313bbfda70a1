"""How fast is "who knows about X?" on a big organisation? Prints figures; not a test.

    .venv/bin/python bench/expertise.py [--people 100000] [--posts 2000000] [--queries 1000]
                                        [--db PATH] [--reuse] [--keep-profiles] [--gc-freeze]
                                        [--routing]

Builds the organisation of `bench/stream.py` (people, contacts, follows, posts
with tags and comments; default /tmp/kollega-bench/expertise.sqlite3), then
adds Q&A and tags on people with raw inserts: one post in 25 is a question
with 0-4 answers (busy people answer more; about half the answered questions
have an accepted answer) and most people carry a few tags given by contacts.
A reused database is migrated first. Then the expertise profiles are built
(`kollega expertise_profiles`; timed and printed, skipped with --keep-profiles
if they exist), and as random signed-in people, it times `expertise.services.find_experts()`
(the whole ranking: evidence, activity, closeness and social paths) for
queries made of tag names and title words, and prints p50/p99, the mean CPU
time per query and the full garbage collections that fell in the timing.
`--gc-freeze` keeps what lives after the warm-up out of the garbage
collector's full collections, as a web worker does after start-up
(`web/warmup.settle`); without it a ranking now and then also pays for a
full collection of the whole process (some 140,000 objects, 30-85 ms on 2
shared CPUs): one in 25 until 2026-12-05, far fewer since (docs/performance.md).
`--routing` times the ranking question routing runs instead (`rank_people`
with presence weighed, five people, as `experts_for_question` calls it); people
never seen are first given a last-seen time as the demo draws them.
"""

import argparse
import gc
import itertools
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stream  # noqa: E402  (the organisation builder shared with the stream benchmark)

DEFAULT_DB = Path("/tmp/kollega-bench/expertise.sqlite3")
QUESTION_EVERY = 25


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing database.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep-profiles", action="store_true", help="Reuse expertise profiles already built."
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after warm-up, as a web worker does after start-up.",
    )
    parser.add_argument(
        "--routing",
        action="store_true",
        help="Time routing's ranking (presence weighed, five people) instead of find_experts().",
    )
    return parser.parse_args()


def give_presence(seed: int) -> int:
    """Last-seen times for everyone, as the demo draws them, unless someone has one."""
    from django.utils import timezone

    from kollega.demo.org import time_away
    from kollega.people.models import Person

    if Person.objects.filter(last_seen_at__isnull=False).exists():
        return 0
    rng, now = random.Random(seed), timezone.now()
    people = list(Person.objects.only("pk").order_by("pk"))
    for person in people:
        person.last_seen_at = now - time_away(rng)
    Person.objects.bulk_update(people, ["last_seen_at"], batch_size=2000)
    return len(people)


def ranker(routing: bool):
    """What is timed: `find_experts`, or the ranking routing runs (`experts_for_question`'s)."""
    from kollega.expertise.evidence import topic_for
    from kollega.expertise.services import find_experts, rank_people

    if not routing:
        return find_experts
    return lambda viewer, query: rank_people(
        viewer, topic_for(query), query, limit=5, weigh_presence=True
    )


def add_expertise(people: int, seed: int) -> dict[str, int]:
    """Questions (from existing posts), answers and tags on people, straight into the tables."""
    from django.db import connection, transaction
    from tqdm import tqdm

    rng = random.Random(seed)
    weight = [rng.lognormvariate(0, 1.2) for _ in range(people)]
    # Summed once: choices(weights=…) sums all 100,000 per question (4 of the build's
    # minutes); with the same sums it draws exactly the same people.
    cum_weight = list(itertools.accumulate(weight))
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(
            "SELECT id, author_id, created_at FROM posts_post WHERE id %% %s = 0 ORDER BY id",
            [QUESTION_EVERY],
        )
        posts = cursor.fetchall()
        questions, answers, answer_id = [], [], 0
        for question_id, (post_id, _author, created) in enumerate(
            tqdm(posts, file=sys.stderr, desc="Questions"), 1
        ):
            title = " ".join(rng.choices(stream.WORDS, k=rng.randint(3, 8))).capitalize() + "?"
            repliers = rng.choices(
                range(people), cum_weights=cum_weight, k=rng.choice((0, 1, 1, 2, 3, 4))
            )
            accepted = None
            for replier in repliers:
                answer_id += 1
                answers.append(
                    (answer_id, question_id, replier + 1, title, created, rng.choice((0, 0, 1, 3)))
                )
                if accepted is None and rng.random() < 0.5:
                    accepted = answer_id
            status = "accepted" if accepted else ("answered" if repliers else "open")
            questions.append(
                (question_id, post_id, title, status, created, accepted, len(repliers))
            )
        cursor.executemany(
            "INSERT INTO qa_question (id, post_id, title, status, asked_at, accepted_answer_id, "
            "answer_count, referral_hops, score, source_key) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, 0, 0, '')",
            questions,
        )
        cursor.executemany(
            "INSERT INTO qa_answer (id, question_id, author_id, body, body_html, created_at, "
            "helpful_count, confirmation_count, score, up_votes, source_name, source_url, "
            "source_author, source_key) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, 0, 0, 0, '', '', '', '')",
            [(i, q, a, f"About {t}", f"<p>About {t}</p>", c, h) for i, q, a, t, c, h in answers],
        )
        cursor.execute(
            "SELECT person_id, contact_id FROM network_contact WHERE person_id < contact_id"
        )
        by_person: dict[int, list[int]] = {}
        for a, b in cursor.fetchall():
            by_person.setdefault(a, []).append(b)
            by_person.setdefault(b, []).append(a)
        tag_weight = list(itertools.accumulate(1 / (rank + 1) for rank in range(stream.TAGS)))
        added = stream.stamp(stream.datetime.now(stream.UTC) - timedelta(days=200))
        links = set()
        for person in range(1, people + 1):
            contacts = by_person.get(person, [])
            for tag in set(
                rng.choices(range(stream.TAGS), cum_weights=tag_weight, k=rng.randint(0, 3))
            ):
                givers = rng.sample(contacts, min(len(contacts), rng.choice((1, 1, 2, 5))))
                for giver in givers or [person]:
                    links.add((person, tag + 1, giver))
        cursor.executemany(
            "INSERT INTO people_persontag (person_id, tag_id, added_by_id, added_at) "
            "VALUES (%s, %s, %s, %s)",
            [(p, t, g, added) for p, t, g in sorted(links)],
        )
        cursor.execute("ANALYZE")
    return {"questions": len(questions), "answers": len(answers), "tags on people": len(links)}


def queries(count: int, seed: int) -> list[str]:
    """Queries people would type: a topic tag, title words, or both."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        tag = f"topic {int(rng.paretovariate(1.2)) % stream.TAGS}"
        words = " ".join(rng.sample(stream.WORDS, 2))
        made.append(rng.choice((tag, words, f"{words} {tag}")))
    return made


def main() -> None:
    """Build (unless reused), measure, report."""
    args = parse_args()
    db = args.db.resolve()
    reuse = args.reuse and db.exists()
    stream.setup_django(db)
    counts: dict[str, int] = {}
    build_seconds = None
    if not reuse:
        build_seconds, counts = stream.build(db, args.people, args.posts, args.seed)
        started = time.perf_counter()
        counts |= add_expertise(args.people, args.seed)
        build_seconds += time.perf_counter() - started

    from django.core.management import call_command

    from kollega.expertise import profiles
    from kollega.expertise.models import ProfileTerm

    if reuse:  # built before newer migrations (the profiles' tables, say)
        call_command("migrate", verbosity=0)
    profile_seconds = None
    if not (args.keep_profiles and ProfileTerm.objects.exists()):
        started = time.perf_counter()
        counts |= {f"profile {k}": v for k, v in profiles.rebuild(profiles.tqdm_progress).items()}
        profile_seconds = time.perf_counter() - started

    if args.routing:
        counts["people given a last-seen time"] = give_presence(args.seed)
    viewers = stream.sample_people(args.queries, args.seed)
    asked = queries(len(viewers), args.seed)
    rank = ranker(args.routing)
    for viewer, query in list(zip(viewers, asked, strict=True))[:20]:  # warm caches
        rank(viewer, query)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    timings, cpu, found = [], [], []
    full = FullCollections()
    gc.callbacks.append(full)
    for viewer, query in zip(viewers, asked, strict=True):
        started, cpu_started = time.perf_counter(), time.process_time()
        experts = rank(viewer, query)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        found.append(len(experts))
    gc.callbacks.remove(full)

    print("\n".join(stream.machine()))
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    built = "reused" if build_seconds is None else f"built in {build_seconds:.0f} s"
    print(f"Database: {db} ({size / 2**30:.2f} GiB), {built}")
    if args.gc_freeze:
        print("gc.freeze() after warm-up")
    if counts:
        print("Rows: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    if profile_seconds is not None:
        print(f"Expertise profiles built in {profile_seconds:.0f} s")
    print(
        f"{'routing' if args.routing else 'find_experts()'}, "
        f"{len(timings)} queries by random people: "
        f"p50 {stream.percentile(timings, 0.5):.1f} ms, "
        f"p99 {stream.percentile(timings, 0.99):.1f} ms, "
        f"max {max(timings):.1f} ms, mean {statistics.fmean(timings):.1f} ms; "
        f"{statistics.fmean(found):.1f} colleagues found per query"
    )
    # On a shared machine wall time follows the others' load; CPU time and the
    # collections much less so.
    print(
        f"CPU per query: mean {statistics.fmean(cpu):.1f} ms; full garbage collections "
        f"while timing: {full.count} ({full.ms:.0f} ms in all)"
    )


class FullCollections:
    """A gc callback counting the collections of the oldest generation, and their time."""

    def __init__(self) -> None:
        self.count, self.ms, self._started = 0, 0.0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.count += 1
            self.ms += (time.perf_counter() - self._started) * 1000


if __name__ == "__main__":
    main()
