"""`kollega bench routing --dump DIR [--json] [--validation] [--experiments]`: who will answer?"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kollega.expertise.routing_bench.dump import read_dump
from kollega.expertise.routing_bench.replay import (
    CUTOFFS,
    questions_to_replay,
    questions_to_test,
    replay,
)
from kollega.expertise.routing_bench.systems import EXPERIMENTS, SYSTEMS

TEST_SHARE = 0.3  # the test period: the last 30 % of questions
# Validation stays inside the first 70 %, so the test period is looked at only once a
# method has been chosen; 50-70 % is the slice with the most history behind it.
VALIDATION_END, VALIDATION_SHARE = 0.7, 0.2


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
            "--test-share",
            type=float,
            default=None,
            help="Share of questions to test (default 0.3; 0.2 with --validation).",
        )
        parser.add_argument(
            "--validation",
            action="store_true",
            help=(
                "Test a slice ending at 70 %% of the questions (50-70 %% by default), never "
                "the last 30 %%: for choosing a method without looking at the test period."
            ),
        )
        parser.add_argument(
            "--routing-cap",
            type=int,
            default=None,
            help="Routed questions a person is sent a day (default KOLLEGA_ROUTING_DAILY_CAP).",
        )
        parser.add_argument(
            "--experiments",
            action="store_true",
            help="Also run the experiments the product does not (learned routing weights; slow).",
        )

    def handle(self, *args, **options):
        share = options["test_share"]
        if share is None:
            share = VALIDATION_SHARE if options["validation"] else TEST_SHARE
        end = VALIDATION_END if options["validation"] else 1.0
        if not 0 < share < end:
            raise CommandError(f"--test-share must be between 0 and {end}.")
        try:
            dump = read_dump(options["dump"], progress=True)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        total = questions_to_replay(dump, questions_to_test(dump, share, end))
        with tqdm(total=total, unit=" questions", file=sys.stderr, leave=False) as bar:
            systems = SYSTEMS | (EXPERIMENTS if options["experiments"] else {})
            cap = options["routing_cap"] or settings.KOLLEGA_ROUTING_DAILY_CAP
            result = replay(dump, systems, share, progress=bar.update, end=end, cap=cap)
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
    load = result["load"]
    lines += [
        "",
        f"Routing that acts (Kollega's top {load['batch']} sent each question):",
        "",
        "| daily cap | share to the top 2 people | an answerer among those sent | "
        "most sent to one person in a day |",
        "|---|---:|---:|---:|",
    ]
    for name, label in (("uncapped", "none"), ("capped", str(load["cap"]))):
        figures = load[name]
        lines.append(
            f"| {label} | {figures['top2_share']:.3f} | {figures['reached_answerer']:.3f} "
            f"| {figures['most_in_a_day']} |"
        )
    return "\n".join(lines)
