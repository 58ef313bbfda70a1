"""Schemathesis over /api/v1/openapi.json against a live server, as a careless client would.

Every operation in the document gets generated requests (valid ones, and ones
that break its schema) with a real token of a person in a small organisation
with content. It fails on a server error, a status the document does not list for
the operation, or an answer that does not match its documented schema or type.

Deterministic (derandomised generation) and bounded (a few examples per
operation, no stateful phase), so every run sends the same requests, about a
minute of them on an idle two-core machine. A failure prints each request as a
`curl` line to reproduce it against a server of one's own.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import CharField, TextField, Value
from django.db.models.functions import Length, StrIndex

from kollega.communities.models import Community

pytestmark = pytest.mark.fuzz

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "ignored_auth",  # every operation refuses a request without credentials
]
# To dig deeper by hand, more examples and other requests than every run's:
# KOLLEGA_FUZZ_EXAMPLES=50 KOLLEGA_FUZZ_SEED=7 pytest src/kollega/api/tests/test_fuzz.py
EXAMPLES_PER_OPERATION = int(os.environ.get("KOLLEGA_FUZZ_EXAMPLES", 8))
SEED = os.environ.get("KOLLEGA_FUZZ_SEED")
# Requests with methods an operation does not have only ever get ninja's 405: skipped for time.
# Half the time, a path names a community or colleague that exists, to reach past the 404s.
CONFIG = """
[phases.coverage]
unexpected-methods = []

[dictionaries.slugs]
values = {slugs}

[dictionaries.usernames]
values = ["anna", "bjorn", "carla"]

[parameters]
"path.slug" = {{ dictionary = "slugs", probability = 0.5 }}
"path.username" = {{ dictionary = "usernames", probability = 0.5 }}
"""


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_what_its_document_says_to_generated_requests(
    live_server, organisation, tmp_path: Path
):
    key = organisation.key
    slugs = list(Community.objects.values_list("slug", flat=True))
    (tmp_path / "schemathesis.toml").write_text(CONFIG.format(slugs=json.dumps(slugs)))
    command = [
        sys.executable, "-m", "schemathesis.cli", "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {key}",
        "--checks", ",".join(CHECKS),
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(EXAMPLES_PER_OPERATION),
        *(["--seed", SEED] if SEED else ["--generation-deterministic"]),
        "--workers", "1",  # the test database (shared-cache SQLite) locks tables
        "--request-timeout", "20",
        "--suppress-health-check", "all",
        "--no-color",
        "--output-truncate", "true",
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    failures = max(run.stdout.find("== FAILURES =="), 0)
    report = run.stdout[failures : failures + 25000] + run.stdout[-3000:] + run.stderr[-3000:]
    assert run.returncode == 0, report
    assert stored_text_postgresql_would_refuse() == []


def stored_text_postgresql_would_refuse() -> list[str]:
    """Text the run stored that PostgreSQL refuses (a server error there): longer than its
    column, or holding a NUL. SQLite stores both, so the SQLite pass looks for them."""
    found = []
    for model in apps.get_models():
        rows = model._base_manager.all()
        for field in model._meta.concrete_fields:
            if not isinstance(field, CharField | TextField):
                continue
            where = f"{model._meta.label}.{field.name}"
            if isinstance(field, CharField) and field.max_length:
                too_long = rows.annotate(fuzz_length=Length(field.attname))
                if too_long.filter(fuzz_length__gt=field.max_length).exists():
                    found.append(f"{where}: longer than {field.max_length}")
            if connection.vendor == "sqlite":  # (LIKE stops at a NUL; instr does not)
                # Aliases no model uses as a field name (SignInAttempt has `at`).
                nul = rows.annotate(fuzz_nul_at=StrIndex(field.attname, Value("\x00")))
                if nul.filter(fuzz_nul_at__gt=0).exists():
                    found.append(f"{where}: a NUL character")
    return found
