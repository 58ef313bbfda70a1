"""docs/security.md names, for each requirement, the test that shows it: those tests exist.

A renamed or deleted test would otherwise leave the page claiming a defence
that nothing checks any more.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`((?:src|tests)/[\w/.]+\.py)(?:::(\w+))?`")


def test_every_test_the_security_page_names_exists():
    references = REFERENCE.findall(PAGE.read_text(encoding="utf-8"))
    assert len(references) >= 20, "the ASVS table lost its references"
    missing = []
    for path, name in references:
        source = ROOT / path
        if not source.is_file():
            missing.append(path)
        elif name and not re.search(rf"^def {name}\(", source.read_text(encoding="utf-8"), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []
