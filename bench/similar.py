"""Do similar questions find the original of a duplicate? Prints figures; not a test.

    .venv/bin/python bench/similar.py [--data ../shared/data] [--db PATH] [--reuse]

Imports the Beer, Wine & Spirits Stack Exchange dump (`kollega import
stackexchange`'s importer, which also indexes what it wrote) into its own SQLite
database, by default `/tmp/kollega-bench-similar/kollega.sqlite3`. Then, for each
question the site closed as a duplicate (`PostLinks.xml`, LinkTypeId 3: PostId is
the duplicate, RelatedPostId its original), it types the duplicate's title as a
colleague who asked neither, and counts how often the original is among the first
5 suggestions (recall@5), the duplicate itself left out:

- similar: `qa.services.similar.ranked_similar` (what the ask page shows);
- baseline: plain full-text search, `search.services.search` over questions.

Prints both, their ratio, MRR@5 and the time per call (p50, max).
Text: CC BY-SA, beer.stackexchange.com (see ../shared/data/README.md).
"""

import argparse
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

DEFAULT_DB = Path("/tmp/kollega-bench-similar/kollega.sqlite3")
DEFAULT_DATA = Path("..", "shared", "data")
K = 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--reuse", action="store_true", help="Keep an imported database.")
    return parser.parse_args()


def setup_django(db: Path, reuse: bool) -> None:
    """Point Kollega at the bench's own database before Django starts."""
    db.parent.mkdir(parents=True, exist_ok=True)
    if not reuse:
        for old in db.parent.glob(db.name + "*"):
            old.unlink()
    os.environ["KOLLEGA_DATA_DIR"] = str(db.parent)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def duplicate_links(folder: Path) -> list[tuple[str, str]]:
    """(duplicate id, original id) for every duplicate link of the dump."""
    links = []
    for _event, row in ET.iterparse(folder / "PostLinks.xml"):
        if row.tag == "row" and row.get("LinkTypeId") == "3":
            links.append((row.get("PostId"), row.get("RelatedPostId")))
    return links


def first_five(found: list[int], duplicate: int) -> list[int]:
    return [pk for pk in found if pk != duplicate][:K]


def main() -> None:
    args = parse_args()
    folder = (args.data / "stackexchange-beer").resolve()
    if not (folder / "PostLinks.xml").is_file():
        sys.exit(f"No Stack Exchange dump in {folder}; pass --data.")
    db = args.db.resolve()
    reuse = args.reuse and db.exists()
    setup_django(db, reuse)

    from kollega.people.models import Person
    from kollega.people.services import create_person
    from kollega.qa.importers.stackexchange import Site, import_stackexchange
    from kollega.qa.models import Question
    from kollega.qa.services.similar import ranked_similar
    from kollega.search.services import Filters, search

    if not reuse:
        started = time.perf_counter()
        import_stackexchange(folder, progress=False)
        print(f"Imported the dump in {time.perf_counter() - started:.1f} s")
    viewer = Person.objects.filter(user__username="bench.viewer").first()
    viewer = viewer or create_person("bench.viewer", "Bench Viewer", email="bench@example.org")
    site = Site.from_folder(folder)
    by_key = dict(Question.objects.values_list("source_key", "pk"))
    titles = dict(Question.objects.values_list("pk", "title"))
    pairs = []
    for duplicate, original in duplicate_links(folder):
        d, o = by_key.get(site.key("q", duplicate)), by_key.get(site.key("q", original))
        if d and o:
            pairs.append((d, o))

    def similar(title: str) -> list[int]:
        return [q.pk for q in ranked_similar(viewer, title, limit=K + 1)]

    def baseline(title: str) -> list[int]:
        results = search(viewer, title, Filters(kinds=["question"]), limit=K + 1)
        return [hit.document.object_id for hit in results.hits]

    figures = {}
    for name, method in (("baseline (search)", baseline), ("similar questions", similar)):
        method(titles[pairs[0][0]])  # warm up
        hits, reciprocal, timings = 0, 0.0, []
        for duplicate, original in pairs:
            started = time.perf_counter()
            found = method(titles[duplicate])
            timings.append((time.perf_counter() - started) * 1000)
            top = first_five(found, duplicate)
            if original in top:
                hits += 1
                reciprocal += 1 / (top.index(original) + 1)
        figures[name] = hits / len(pairs)
        print(
            f"{name:18}  recall@{K} {hits}/{len(pairs)} = {hits / len(pairs):.3f}  "
            f"MRR@{K} {reciprocal / len(pairs):.3f}  "
            f"ms p50 {statistics.median(timings):.1f} max {max(timings):.1f}"
        )
    base, ours = figures["baseline (search)"], figures["similar questions"]
    ratio = ours / base if base else float("inf")
    print(f"ratio similar/baseline: {ratio:.2f}× (aim: ≥ 1.2×)")
    print(f"{Question.objects.count()} questions, {len(pairs)} duplicate pairs in the dump")


if __name__ == "__main__":
    main()
