"""docs/api.md names every community, question and answer operation of the OpenAPI document."""

import re
from pathlib import Path

from kollega.api.urls import api

DOC = Path(__file__).resolve().parents[4] / "docs" / "api.md"
AREAS = ("/communities", "/questions", "/answers")


def documented_operations() -> set[str]:
    """Each "`METHOD /path`" the page writes, also in lists like "`GET`, `PATCH`, `DELETE /x`"."""
    text = DOC.read_text()
    found = set(re.findall(r"`((?:GET|POST|PUT|PATCH|DELETE) /[^`\s]*)`", text))
    for methods, path in re.findall(r"((?:`[A-Z]+`, )+)`([A-Z]+ /[^`\s]*)`", text):
        last_method, route = path.split(" ", 1)
        found |= {f"{m} {route}" for m in re.findall(r"`([A-Z]+)`", methods)}
    return found


def test_the_api_page_lists_every_community_question_and_answer_operation():
    prefix = "/api/v1"
    operations = {
        f"{method.upper()} {path.removeprefix(prefix)}"
        for path, methods in api.get_openapi_schema()["paths"].items()
        if path.removeprefix(prefix).startswith(AREAS)
        for method in methods
    }
    assert len(operations) > 30
    missing = sorted(operations - documented_operations())
    assert not missing, f"docs/api.md leaves out {missing}"
