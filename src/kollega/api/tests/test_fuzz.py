"""Schemathesis over /api/v1/openapi.json against a live server, as a careless client would.

Every operation in the document gets generated requests (valid ones, and ones
that break its schema) with a real token of a person in a small organisation
with content. It fails on a server error, a status the document does not list for
the operation, or an answer that does not match its documented schema or type.

Seeded and bounded (examples per operation, no stateful phase), so a run is
reproducible and takes about two minutes on a small machine. To reproduce one
failure, run the `st run …` line the failure message prints.
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fuzz

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
EXAMPLES_PER_OPERATION = 8
# Requests with methods an operation does not have only ever get ninja's 405; skipped for time.
CONFIG = """
[phases.coverage]
unexpected-methods = []
"""


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_what_its_document_says_to_generated_requests(
    live_server, organisation, tmp_path: Path
):
    key = organisation.key
    (tmp_path / "schemathesis.toml").write_text(CONFIG)
    command = [
        str(Path(sys.executable).with_name("st")), "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {key}",
        "--checks", ",".join(CHECKS),
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(EXAMPLES_PER_OPERATION),
        "--generation-deterministic",
        "--workers", "2",
        "--request-timeout", "20",
        "--suppress-health-check", "all",
        "--no-color",
        "--output-truncate", "true",
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    report = run.stdout[-20000:] + run.stderr[-5000:]
    assert run.returncode == 0, report
