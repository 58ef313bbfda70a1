"""Time the share guard: `guard.services.check_text` on posts of 200 and 5,000 characters.

    .venv/bin/python bench/guard.py [--posts 2000] [--audience organisation]

Builds realistic posts in English, Swedish and Norwegian (about one in five
carries something to find: a personnummer, a card number, an IBAN, a
password, a label), checks each one and prints the p50 and p99 milliseconds
per size. The aim is a p99 of 2 ms or less added to a post. Needs no database.
"""

import argparse
import os
import random
import statistics
import sys
import time

import django

import kollega  # noqa: F401  (first: it chooses the SQLite library Django will use)

SENTENCES = [
    "The release train leaves on Thursday, so please merge before lunch.",
    "Who has the slides from the customer workshop in Gothenburg?",
    "Vi ses på fikat klockan tre, ta med kanelbullar till alla.",
    "Kan någon hjälpa mig med budgeten för nästa kvartal innan fredag?",
    "Møtet er flyttet til rom 4.12 i andre etasje, rett ved kantina.",
    "Husk å levere timelistene innen mandag klokken tolv, takk!",
    "Tickets 4711 and 4712 are fixed; #release notes follow tomorrow.",
    "Ring mig på 070-123 45 67 om något är oklart, annars hörs vi.",
    "See https://intranet.example.com/wiki/onboarding?step=3 for the list.",
]
FINDINGS = [
    "Mitt personnummer är 811218-9876.",
    "Kortet 4111 1111 1111 1111 går ut snart.",
    "Betal til NO93 8601 1117 947 innen fredag.",
    "The staging login is password=Winter2026!",
    "KONFIDENTIELLT: siffrorna för Q3.",
    "Fødselsnummer 01010750160 må ikke deles.",
]


def post(rng: random.Random, size: int) -> str:
    parts, length = [], 0
    finding = rng.random() < 0.2
    while length < size:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        length += len(sentence) + 1
    if finding:
        parts.insert(rng.randrange(len(parts)), rng.choice(FINDINGS))
    return " ".join(parts)[:size]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000, help="posts per size")
    parser.add_argument("--audience", default="organisation")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    django.setup()
    from kollega.guard.services import check_text

    rng = random.Random(17)
    for size in (200, 5000):
        texts = [post(rng, size) for _ in range(args.posts)]
        for text in texts[:50]:  # warm the caches
            check_text(text, args.audience)
        times, verdicts = [], {}
        for text in texts:
            start = time.perf_counter()
            verdict = check_text(text, args.audience)
            times.append((time.perf_counter() - start) * 1000)
            verdicts[verdict.verdict] = verdicts.get(verdict.verdict, 0) + 1
        times.sort()
        p50 = statistics.median(times)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"{size:>5} chars: p50 {p50:.3f} ms, p99 {p99:.3f} ms  {dict(sorted(verdicts.items()))}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
