"""Load test: simulated employees against a real `kollega serve` on 127.0.0.1.

    .venv/bin/python bench/load.py                      # SQLite, 50 users, 30 s
    .venv/bin/python bench/load.py --engine postgres    # needs `make postgres`
    .venv/bin/python bench/load.py --organisation /tmp/kollega-bench-stream/kollega.sqlite3
    .venv/bin/python bench/load.py --engine postgres \
        --organisation /tmp/kollega-bench-stream/kollega.sqlite3 --pg-database kollega_load100k

It builds a fresh demo organisation (`kollega demo --small`) in a temporary
folder (and, for PostgreSQL, a fresh database that it drops afterwards) — or,
with --organisation, uses the 100,000-person SQLite database `bench/stream.py`
built (migrated first; the users' passwords are set to the demo's; their posts
stay in it). With --engine postgres as well, that organisation is copied once
into the PostgreSQL database --pg-database (created if missing, kept afterwards,
reused while it holds as many people as the SQLite file), so both engines serve
the same rows —
starts `kollega serve` on a free loopback port, and lets --users colleagues
sign in and then read the home stream, read the stream through the API, post,
comment, search the directory and (when the Q&A app has an API) ask. Each
user thinks between actions (0-4 s by default, about 21 requests/s in all).
The run is bounded by --duration and --max-requests and stops by itself; it
prints requests/s, p50/p95/p99 per action and the error count. Only loopback is ever contacted.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from urllib.parse import urlencode

HOST = "127.0.0.1"  # loopback only, by design
DEFAULT_PG = "postgres://kollega:kollega-test@127.0.0.1:5432/kollega"
DEMO_PASSWORD = "kollega-demo"
USERNAMES = """
import django
django.setup()
from kollega.people.models import Person
names = Person.objects.active().filter(user__is_superuser=False).order_by("pk")
usernames = list(names.values_list("user__username", flat=True)[:{n}])
if {set_passwords}:  # a bench organisation's accounts cannot sign in until now
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    User.objects.filter(username__in=usernames).update(password=make_password("{password}"))
print(" ".join(usernames))
"""

# Action, weight: most of a working day is reading.
ACTIONS = [
    ("stream_page", 30),
    ("stream_api", 20),
    ("search_people", 15),
    ("post", 10),
    ("comment", 15),
    ("profile_page", 8),
    ("ask", 2),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.server_errors: dict[str, int] = defaultdict(int)
        self.client_errors: dict[str, int] = defaultdict(int)
        self.failures: dict[str, int] = defaultdict(int)
        self.requests = 0
        self.examples: list[str] = []

    def record(self, action: str, seconds: float, status: int | None, detail: str = ""):
        with self.lock:
            self.requests += 1
            if status is None:
                self.failures[action] += 1
            elif status >= 500:
                self.server_errors[action] += 1
            elif status >= 400:
                self.client_errors[action] += 1
            else:
                self.latencies[action].append(seconds)
            if (status is None or status >= 400) and len(self.examples) < 10:
                self.examples.append(f"{action}: {status} {detail[:200]}")


class Colleague:
    """One simulated employee with a session cookie and a keep-alive connection."""

    def __init__(self, port: int, username: str, stats: Stats, rng: random.Random):
        self.port, self.username, self.stats, self.rng = port, username, stats, rng
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.post_ids: list[int] = []
        self.qa = True

    def request(self, method, path, body=None, headers=None, action=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = self.conn is not None
            try:
                self.conn = self.conn or http.client.HTTPConnection(HOST, self.port, timeout=30)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException) as error:
                self.conn = None
                # An idle keep-alive connection the server closed: reconnect once, as
                # browsers do. Anything else is a failure.
                stale = isinstance(
                    error, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
                )
                if attempt == 1 and reused and stale:
                    started = time.perf_counter()
                    continue
                if action:
                    self.stats.record(action, time.perf_counter() - started, None, repr(error))
                return None, b""
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if action:
            self.stats.record(action, elapsed, response.status, data.decode(errors="replace"))
        return response.status, data

    def json_request(self, method, path, payload, action):
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Referer": f"http://{HOST}:{self.port}/",
        }
        return self.request(method, path, json.dumps(payload), headers, action)

    def sign_in(self) -> bool:
        status, page = self.request("GET", "/login/", action="sign_in")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page or b"")
        if status != 200 or not match:
            return False
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": self.username,
                "password": DEMO_PASSWORD,
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{self.port}/login/",
        }
        status, _ = self.request("POST", "/login/", form, headers, action="sign_in")
        return status == 302 and "sessionid" in self.cookies

    def act(self, action: str):
        rng = self.rng
        if action == "stream_page":
            self.request("GET", "/", action=action)
        elif action == "stream_api":
            status, data = self.request("GET", "/api/v1/stream?limit=20", action=action)
            if status == 200:
                ids = [item["id"] for item in json.loads(data).get("items", [])]
                self.post_ids = ids or self.post_ids
        elif action == "search_people":
            query = rng.choice(["an", "er", "lars", "sv", "ma", "jo", "kar", "ni"])
            self.request("GET", f"/api/v1/people?q={query}&limit=20", action=action)
        elif action == "profile_page":
            self.request("GET", f"/people/{self.username}/", action=action)
        elif action == "post":
            body = f"Load test update {uuid.uuid4().hex[:8]} #loadtest"
            status, data = self.json_request("POST", "/api/v1/posts", {"body": body}, action)
            if status == 201:
                self.post_ids.insert(0, json.loads(data)["id"])
        elif action == "comment":
            if not self.post_ids:
                return self.act("stream_api")
            post_id = rng.choice(self.post_ids[:10])
            body = {"body": f"Agreed — {uuid.uuid4().hex[:6]}"}
            self.json_request("POST", f"/api/v1/posts/{post_id}/comments", body, action)
        elif action == "ask":
            if not self.qa:
                return self.act("stream_page")
            payload = {
                "title": f"How do we handle load test {uuid.uuid4().hex[:6]}?",
                "body": "Asked by the load test. #loadtest",
                "tags": ["loadtest"],
            }
            status, _ = self.json_request("POST", "/api/v1/questions", payload, action)
            if status in {404, 405}:  # no Q&A API yet: stop asking
                self.qa = False


class Machine:
    """Who used the machine's CPU during the timed run, read from /proc (Linux).

    The machine is shared, so a run's figures mean little without it: the load
    average before and after, and the CPU seconds of the web server (its process
    group), of PostgreSQL backends serving the bench's database, and of everything
    else. A process that starts and ends between the two readings (a PostgreSQL
    parallel worker) is not seen; one that ends before the second reading keeps
    nothing of its share.
    """

    def __init__(self, server_group: int, database: str | None):
        self.server_group, self.database = server_group, database
        self.first: dict[int, tuple[str, float]] = {}
        self.load_before = os.getloadavg()[0]

    def _processes(self) -> dict[int, tuple[str, float]]:
        tick = os.sysconf("SC_CLK_TCK")
        found = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if int(fields[2]) == self.server_group:  # fields[2]: the process group
                kind = "web server"
            elif self.database and command.startswith("postgres:") and self.database in command:
                kind = "PostgreSQL backends"
            elif int(name) == os.getpid():
                kind = "load client"
            else:
                kind = "everything else"
            found[int(name)] = (kind, (int(fields[11]) + int(fields[12])) / tick)
        return found

    def start(self):
        """At the start of the timed run."""
        self.load_before = os.getloadavg()[0]
        self.first = self._processes()

    def report(self, elapsed: float):
        """CPU seconds per kind since start(), and the load average before and after."""
        used: dict[str, float] = defaultdict(float)
        for pid, (kind, cpu) in self._processes().items():
            used[kind] += cpu - self.first.get(pid, (kind, 0.0))[1]
        cores = os.cpu_count() or 1
        print(
            f"machine: load average {self.load_before:.2f} at the start of the timed run, "
            f"{os.getloadavg()[0]:.2f} at its end; "
            f"CPU seconds in the timed run ({cores} cores x {elapsed:.0f} s = "
            f"{cores * elapsed:.0f}): "
            + ", ".join(f"{kind} {used[kind]:.1f}" for kind in sorted(used))
        )


def run_users(port, usernames, args, stats, stop, machine=None):
    """Everyone signs in first (PBKDF2 is slow by design), then the timed run begins."""
    mix = [(a, w) for a, w in ACTIONS if a not in args.without]
    weights = [w for _, w in mix]
    names = [a for a, _ in mix]
    window: dict[str, float] = {}

    def start_the_clock():  # runs once, before anyone passes the barrier
        window["started"] = time.monotonic()
        window["deadline"] = window["started"] + args.duration
        with stats.lock:
            stats.requests = 0  # the cap counts the timed run only
        if machine is not None:
            machine.start()

    signed_in = threading.Barrier(len(usernames) + 1, action=start_the_clock)

    def user(i, username):
        rng = random.Random(args.seed + i)
        colleague = Colleague(port, username, stats, rng)
        ok = colleague.sign_in()
        try:
            signed_in.wait(timeout=120)
        except threading.BrokenBarrierError:
            return
        if not ok:
            return
        while not stop.is_set() and time.monotonic() < window["deadline"]:
            with stats.lock:
                if stats.requests >= args.max_requests:
                    stop.set()
                    break
            # Think first, so 50 people do not all click in the same millisecond.
            time.sleep(rng.uniform(0, 2 * args.think))
            if time.monotonic() >= window["deadline"]:
                break
            colleague.act(rng.choices(names, weights)[0])

    threads = [
        threading.Thread(target=user, args=(i, name), daemon=True)
        for i, name in enumerate(usernames)
    ]
    for thread in threads:
        thread.start()
    signed_in.wait(timeout=120)
    started = window["started"]
    for thread in threads:
        thread.join(timeout=args.duration + 35)
    stop.set()
    return time.monotonic() - started


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def report(stats, elapsed, args, engine):
    sign_ins = stats.latencies.get("sign_in", [])
    timed = {a: v for a, v in stats.latencies.items() if a != "sign_in"}
    total_ok = sum(len(v) for v in timed.values())
    print(
        f"\n{engine}: {args.users} users, {args.workers} workers x {args.threads} threads, "
        f"think {args.think:.2f} s, {elapsed:.1f} s"
        + (f", without {', '.join(args.without)}" if args.without else "")
    )
    print(f"{'action':<15}{'ok':>7}{'5xx':>6}{'4xx':>6}{'fail':>6}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'max ms':>9}")  # fmt: skip
    actions = ["sign_in"] + [a for a, _ in ACTIONS]
    for action in actions:
        lat = [x * 1000 for x in stats.latencies.get(action, [])]
        if not lat and not stats.server_errors[action] and not stats.client_errors[action]:
            continue
        print(
            f"{action:<15}{len(lat):>7}{stats.server_errors[action]:>6}"
            f"{stats.client_errors[action]:>6}{stats.failures[action]:>6}"
            f"{percentile(lat, 50):>9.1f}{percentile(lat, 95):>9.1f}"
            f"{percentile(lat, 99):>9.1f}{max(lat, default=float('nan')):>9.1f}"
        )
    server_errors = sum(stats.server_errors.values()) + sum(stats.failures.values())
    all_lat = [x for v in timed.values() for x in v]
    print(f"(sign_in: {len(sign_ins)} requests before the timed run)")
    print(
        f"timed run: {stats.requests} requests, {stats.requests / elapsed:.1f} req/s, "
        f"{total_ok} ok, mean {statistics.fmean(all_lat) * 1000 if all_lat else 0:.1f} ms, "
        f"server errors {server_errors}, client errors {sum(stats.client_errors.values())}"
    )
    for example in stats.examples:
        print("  e.g.", example)
    return server_errors


def kollega(env, *args, capture=False, timeout=900):
    return subprocess.run(
        [sys.executable, "-m", "kollega", *args],
        env=env,
        check=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        capture_output=capture,
        text=True,
    )


def pg_connect(url, admin=False, autocommit=False):
    """A connection to the PostgreSQL database at `url` (with `admin`, to its server's
    `postgres` database, to create or drop databases)."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    return psycopg.connect(
        host=config["HOST"] or HOST,
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres" if admin else config["NAME"],
        autocommit=autocommit or admin,
    )


def pg_admin(url):
    return pg_connect(url, admin=True)


# Tables the copy leaves alone: Django's bookkeeping (migrate fills it in PostgreSQL) and
# the sessions of earlier SQLite runs.
SKIP_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_session"}


def copy_organisation(sqlite_file: str, url: str) -> dict[str, int]:
    """Copy every row of the SQLite organisation into the migrated, empty PostgreSQL
    database at `url`; returns rows per table.

    Like bench/stream.py's build: the secondary indexes and foreign keys are dropped
    first and recreated from PostgreSQL's own definitions afterwards (one sort per index
    and one check per key instead of a probe per row), and the user triggers are off
    during the copy, since the SQLite rows already carry what they maintain (the tag
    links' copy of their post's activity). Then the identity sequences are moved past
    the copied ids, and VACUUM ANALYZE gives the planner statistics and the visibility
    map that index-only scans need, so autovacuum does not do it during a timed run.
    """
    import sqlite3

    source = sqlite3.connect(f"file:{os.path.abspath(sqlite_file)}?mode=ro", uri=True)
    target = pg_connect(url, autocommit=True)
    with target:
        target.execute("SET TIME ZONE 'UTC'")  # SQLite holds UTC without an offset
        pg_tables = {
            name: [
                c
                for (c,) in target.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND table_name = %s",
                    (name,),
                )
            ]  # fmt: skip
            for (name,) in target.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
        tables = []
        for (name,) in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall():
            if name in SKIP_TABLES or name not in pg_tables:
                continue  # SQLite's own tables and its full-text index have no twin
            if not source.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
                continue
            if target.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
                raise SystemExit(f"{name} is not empty in PostgreSQL: use a new --pg-database")
            tables.append(name)
        names = tuple(tables)
        keys = target.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
        ).fetchall()
        indexes = target.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(%s) AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conindid <> 0)",
            (list(names),),
        ).fetchall()
        for table, key, _definition in keys:
            target.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{key}"')
        for index, _definition in indexes:
            target.execute(f'DROP INDEX "{index}"')
        counts = {}
        for name in names:
            started = time.monotonic()
            columns = [
                row[1]
                for row in source.execute(f'PRAGMA table_info("{name}")')
                if row[1] in pg_tables[name]
            ]
            column_list = ", ".join(f'"{c}"' for c in columns)
            rows = source.execute(f'SELECT {column_list} FROM "{name}"')
            counts[name] = 0
            target.execute(f'ALTER TABLE "{name}" DISABLE TRIGGER USER')
            with (
                target.transaction(),
                target.cursor().copy(f'COPY "{name}" ({column_list}) FROM STDIN') as copy,
            ):
                while batch := rows.fetchmany(10_000):
                    for row in batch:
                        copy.write_row(row)
                    counts[name] += len(batch)
            target.execute(f'ALTER TABLE "{name}" ENABLE TRIGGER USER')
            print(f"  {name}: {counts[name]:,} rows in {time.monotonic() - started:.0f} s")
            if "id" in columns:
                target.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f'(SELECT max(id) FROM "{name}"))',
                    (name,),
                )
        started = time.monotonic()
        for _index, definition in indexes:
            target.execute(definition)
        for table, key, definition in keys:
            target.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{key}" {definition}')
        print(f"  indexes and foreign keys in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        target.execute("VACUUM (ANALYZE)")
        print(f"  VACUUM ANALYZE in {time.monotonic() - started:.0f} s")
    source.close()
    return counts


def people_in(url: str) -> int:
    """How many people the PostgreSQL database at `url` holds (0 before migrate)."""
    with pg_connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('people_person') IS NOT NULL").fetchone()[0]
        return conn.execute("SELECT count(*) FROM people_person").fetchone()[0] if exists else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds (at most 300).")
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="Mean think time, seconds: each pause is uniform from 0 to twice this (the "
        "docs/performance.md's figures: 0-4 s).",
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    parser.add_argument(
        "--organisation",
        metavar="SQLITE_FILE",
        help="The SQLite database bench/stream.py built, instead of a fresh --small demo "
        "(with --engine postgres: copied into --pg-database once).",
    )
    parser.add_argument(
        "--pg-database",
        default="kollega_load100k",
        help="With --engine postgres and --organisation: the database that holds the copy "
        "(created if missing; kept).",
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=[a for a, _ in ACTIONS],
        help="Leave an action out of the mix, to see what it costs the others (repeatable).",
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="Build, copy or migrate the organisation, then stop (no server, no load).",
    )
    args = parser.parse_args()
    args.duration = min(args.duration, 300.0)
    args.max_requests = min(args.max_requests, 200_000)

    workdir = tempfile.mkdtemp(prefix="kollega-load-")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KOLLEGA_TESTING"}}
    env.update(KOLLEGA_DATA_DIR=workdir, DEBUG="false", KOLLEGA_ACCESS_LOG="none")
    env.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    db_name = None
    base_url = args.database_url.rsplit("/", 1)[0]
    if args.engine == "postgres" and args.organisation:
        with pg_admin(args.database_url) as conn:
            known = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (args.pg_database,)
            ).fetchone()
            if not known:
                conn.execute(f'CREATE DATABASE "{args.pg_database}"')
        env["DATABASE_URL"] = f"{base_url}/{args.pg_database}"
    elif args.engine == "postgres":
        db_name = f"kollega_load_{uuid.uuid4().hex[:8]}"
        with pg_admin(args.database_url) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = f"{base_url}/{db_name}"
    server = None
    try:
        started = time.monotonic()
        if args.organisation and args.engine == "postgres":
            import sqlite3

            with sqlite3.connect(
                f"file:{os.path.abspath(args.organisation)}?mode=ro", uri=True
            ) as db:
                people = db.execute("SELECT count(*) FROM people_person").fetchone()[0]
            if people_in(env["DATABASE_URL"]) != people:
                kollega(env, "migrate", "--noinput", "-v0")
                counts = copy_organisation(args.organisation, env["DATABASE_URL"])
                print(
                    f"organisation {args.organisation} copied into {args.pg_database} "
                    f"({sum(counts.values()):,} rows) in {time.monotonic() - started:.0f} s"
                )
            kollega(env, "migrate", "--noinput", "-v0")
        elif args.organisation:
            env["DATABASE_URL"] = f"sqlite:///{os.path.abspath(args.organisation)}"
            kollega(env, "migrate", "--noinput", "-v0")
            print(
                f"organisation {args.organisation} migrated in {time.monotonic() - started:.0f} s"
            )
        else:
            kollega(env, "migrate", "--noinput", "-v0")
            kollega(env, "demo", "--small", capture=True)
            print(f"demo organisation built in {time.monotonic() - started:.0f} s ({args.engine})")
        if args.prepare_only:
            return
        script = (
            USERNAMES.replace("{n}", str(args.users))
            .replace("{set_passwords}", str(bool(args.organisation)))
            .replace("{password}", DEMO_PASSWORD)
        )
        names = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        if len(names) < args.users:
            print(f"only {len(names)} demo people: some sign in twice")
            names = (names * args.users)[: args.users]
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "kollega", "serve", "--port", str(port),
             "--workers", str(args.workers), "--threads", str(args.threads)],
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/login/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        stats, stop = Stats(), threading.Event()
        database = env["DATABASE_URL"].rsplit("/", 1)[1] if args.engine == "postgres" else None
        machine = Machine(server.pid, database) if os.path.isdir("/proc/self") else None
        elapsed = run_users(port, names, args, stats, stop, machine)
        server_errors = report(stats, elapsed, args, args.engine)
        if machine is not None:
            machine.report(elapsed)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if db_name:
            with pg_admin(args.database_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if server_errors else 0)


if __name__ == "__main__":
    main()
