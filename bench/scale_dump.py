"""Write a Stack Exchange dump several times over, to see how `kollega bench routing` grows.

    .venv/bin/python bench/scale_dump.py SOURCE TARGET [--times 5]

Copy k of every row of Posts.xml, Comments.xml, Votes.xml and Users.xml gets
its ids and user ids moved by k × 10,000,000 and its dates by k minutes: k
times the people, posts and votes, interleaved in time, with the same texts.
The copies never answer one another, so what it shows is the replay's cost on
a bigger site, not a realistic site; MRR on it means nothing.
"""

import argparse
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

from tqdm import tqdm

OFFSET = 10_000_000
IDS = {
    "Posts.xml": ("Id", "OwnerUserId", "ParentId", "AcceptedAnswerId", "LastEditorUserId"),
    "Comments.xml": ("Id", "PostId", "UserId"),
    "Votes.xml": ("Id", "PostId", "UserId"),
    "Users.xml": ("Id", "AccountId"),
}
DATES = ("CreationDate", "LastAccessDate", "LastActivityDate", "LastEditDate")


def copy_of(row: dict, ids: tuple[str, ...], k: int) -> dict:
    """Row `row` as copy `k`: positive ids moved by k × OFFSET, dates by k minutes."""
    out = dict(row)
    for key in ids:
        value = out.get(key, "")
        if value.isdigit() and int(value) > 0:
            out[key] = str(int(value) + k * OFFSET)
    for key in DATES:
        if key in out:
            moved = datetime.fromisoformat(out[key]) + timedelta(minutes=k)
            out[key] = moved.isoformat(timespec="milliseconds")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a Stack Exchange dump folder")
    parser.add_argument("target", type=Path, help="where to write the bigger one")
    parser.add_argument("--times", type=int, default=5, help="how many copies (default 5)")
    args = parser.parse_args()
    if args.times < 1:
        parser.error("--times must be at least 1")
    if not (args.source / "Posts.xml").is_file():
        parser.error(f"{args.source} has no Posts.xml: not a Stack Exchange dump folder")
    args.target.mkdir(parents=True, exist_ok=True)
    for name, ids in tqdm(IDS.items(), unit=" files", file=sys.stderr):
        if not (args.source / name).is_file():
            continue
        rows = [element.attrib for element in ET.parse(args.source / name).getroot()]
        with open(args.target / name, "w", encoding="utf-8") as out:
            out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{name[:-4].lower()}>\n')
            for k in range(args.times):
                for row in rows:
                    attrs = " ".join(
                        f"{key}={quoteattr(v)}" for key, v in copy_of(row, ids, k).items()
                    )
                    out.write(f"  <row {attrs} />\n")
            out.write(f"</{name[:-4].lower()}>\n")
    print(f"{args.target}: {args.times} copies of {args.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
