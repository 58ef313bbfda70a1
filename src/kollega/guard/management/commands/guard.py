"""`kollega guard check FILE [--audience A] [--json]`: the share guard over each line of a file."""

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kollega.guard.services import check_text

AUDIENCES = ["organisation", "public", "network", "board", "community", "people"]


class Command(BaseCommand):
    help = "Runs the share guard over each line of FILE; exits 0 whatever it finds."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="check one text per line of FILE")
        check.add_argument("file")
        check.add_argument("--audience", default="organisation", choices=AUDIENCES)
        check.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, action, file, audience, json: bool, **options):
        path = Path(file)
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        for number, line in enumerate(lines, start=1):
            verdict = check_text(line, audience)
            findings = [f.as_dict() for f in verdict.findings]
            if json:
                self.stdout.write(
                    _dumps({"line": number, "verdict": verdict.verdict, "findings": findings})
                )
            else:
                kinds = ", ".join(f"{f['kind']} {f['start']}-{f['end']}" for f in findings)
                self.stdout.write(f"{number}: {verdict.verdict}" + (f" ({kinds})" if kinds else ""))


def _dumps(value) -> str:
    return jsonlib.dumps(value, ensure_ascii=False)
