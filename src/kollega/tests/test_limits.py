"""Product limits live in `kollega.limits`, under one naming style."""

import re
from pathlib import Path

from kollega import limits

PACKAGE = Path(limits.__file__).parent
LIMIT_NAME = re.compile(r"^([A-Z][A-Z0-9_]*(MAX|LIMIT)[A-Z0-9_]*|MAX_[A-Z0-9_]+) *(:[^=]*)?=", re.M)
STYLE = re.compile(r"^[A-Z][A-Z0-9_]*_(MAX_[A-Z]+|PAGE_ITEMS)$")
# Named MAX or LIMIT but not a limit on what anyone sends: kept with what they tune.
NOT_PRODUCT_LIMITS = {
    "accounts/signin.py": {"ACCOUNT_LIMIT", "ADDRESS_LIMIT"},  # the throttle, with its pauses
    "expertise/profiles.py": {"MAX_AGE"},
    "expertise/routing_bench/learned.py": {"MAX_STEP"},
    "ops/workers.py": {"MAX_ATTEMPTS"},
    "qa/services/routing.py": {"DEFAULT_LIMIT"},
    "settings.py": {"DATA_UPLOAD_MAX_MEMORY_SIZE"},  # Django's, read from the environment
    "web/once.py": {"MAX_TOKEN_LENGTH"},  # the server's own form tokens
}


def test_no_module_but_limits_defines_a_product_limit():
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "limits.py" or "/tests/" in f"/{rel}" or "/migrations/" in rel:
            continue
        names = {m.group(1) for m in LIMIT_NAME.finditer(path.read_text(encoding="utf-8"))}
        names -= NOT_PRODUCT_LIMITS.get(rel, set())
        if names:
            found[rel] = sorted(names)
    assert found == {}


def test_every_limit_is_named_in_one_style_with_a_reason():
    names = [n for n in vars(limits) if n.isupper()]
    assert len(names) >= 25
    assert [n for n in names if not STYLE.match(n)] == []
    source = (PACKAGE / "limits.py").read_text(encoding="utf-8").splitlines()
    for name in names:
        line = next(i for i, text in enumerate(source) if text.startswith(f"{name} ="))
        assert "#" in source[line] or source[line - 1].startswith("#"), name


def test_pages_offer_the_limits_the_services_enforce(anna):
    """A field's maxlength comes from kollega.limits: the browser stops where the service would."""
    from kollega.people.tests.factories import signed_in

    client = signed_in(anna)
    for path, limit in [
        ("/experts/", limits.EXPERTS_QUERY_MAX_CHARS),
        ("/search/?q=wine", limits.SEARCH_QUERY_MAX_CHARS),
        ("/communities/new/", limits.COMMUNITY_NAME_MAX_CHARS),
    ]:
        assert f'maxlength="{limit}"' in client.get(path).content.decode(), path
