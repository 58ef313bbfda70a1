"""`kollega bench routing --dump DIR [--json]`: how well does Kollega find who will answer?"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kollega.expertise.routing_bench.dump import read_dump
from kollega.expertise.routing_bench.replay import CUTOFFS, questions_to_test, replay
from kollega.expertise.routing_bench.systems import SYSTEMS


class Command(BaseCommand):
    help = (
        "Benchmarks. `routing`: replay a Stack Exchange dump in time order and compare "
        "Kollega's expertise ranking with three baselines (MRR, hit@k, latency)."
    )

    def add_arguments(self, parser):
        parser.add_argument("benchmark", choices=["routing"])
        parser.add_argument(
            "--dump", required=True, type=Path, help="A Stack Exchange dump folder."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--test-share", type=float, default=0.3, help="Share of latest questions to test."
        )

    def handle(self, *args, **options):
        if not 0 < options["test_share"] < 1:
            raise CommandError("--test-share must be between 0 and 1.")
        try:
            dump = read_dump(options["dump"])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        total = len(questions_to_test(dump, options["test_share"]))
        with tqdm(total=total, unit=" questions", file=sys.stderr, leave=False) as bar:
            result = replay(dump, SYSTEMS, options["test_share"], progress=bar.update)
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(table(result))


def table(result: dict) -> str:
    """The figures as a Markdown table, one row per system."""
    measures = ["mrr", *(f"hit{k}" for k in CUTOFFS)]
    columns = [f"{m}_{t}" for t in ("any", "accepted") for m in measures]
    lines = [
        f"{result['questions']} test questions; Kollega's ranking latency "
        f"p50 {result['latency_ms']['p50']} ms, p99 {result['latency_ms']['p99']} ms",
        "",
        "| system | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name, figures in result["systems"].items():
        lines.append(f"| {name} | " + " | ".join(f"{figures[c]:.3f}" for c in columns) + " |")
    return "\n".join(lines)
