"""Every environment variable the code reads is in docs/settings.md's table, and back.

What counts as read: `os.environ.get(NAME, …)`, `os.getenv(NAME, …)`,
`os.environ[NAME]`, `NAME in os.environ`, a settings helper `env_…(NAME, …)`,
and `dj_database_url.config()` (which reads `DATABASE_URL`), in the modules
under `src/kollega`. Setting a variable (`os.environ.setdefault`, an
assignment) is not reading it. Test-only reads are left out: modules under
`tests/`, the pytest plugin `ops/pytest_env.py`, and `KOLLEGA_TESTING`,
which that plugin sets.
"""

import ast
import operator
import re
from pathlib import Path

import kollega

PACKAGE = Path(kollega.__file__).parent
SETTINGS = PACKAGE.parents[1] / "docs" / "settings.md"
TEST_ONLY_MODULES = {"ops/pytest_env.py"}
TEST_ONLY_NAMES = {"KOLLEGA_TESTING"}
UNKNOWN = "<not a literal>"
_OPS = {ast.Mult: operator.mul, ast.Add: operator.add, ast.Pow: operator.pow}


def _is_environ(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _literal(node, constants: dict):
    """The value of a literal default (numbers may be multiplied out); UNKNOWN otherwise."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _literal(node.left, constants), _literal(node.right, constants)
        if isinstance(left, int | float) and isinstance(right, int | float):
            return _OPS[type(node.op)](left, right)
    return UNKNOWN


def reads_in(source: str, where: str) -> dict[str, object]:
    """{variable: its default (None: none given; UNKNOWN: not a literal)} read by `source`."""
    tree = ast.parse(source)
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: dict[str, object] = {}

    def read(name_node, default_node=None):
        name = _literal(name_node, constants)
        known = isinstance(name, str) and name is not UNKNOWN
        assert known, f"{where}:{name_node.lineno}: reads a variable whose name is not known"
        found[name] = None if default_node is None else _literal(default_node, constants)

    # The helpers themselves (`env_bool(name, default)`) read whatever their caller names.
    helpers = {
        id(inner)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("env_")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in helpers:
            continue
        if isinstance(node, ast.Call):
            func, args = node.func, node.args
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "get" and isinstance(func, ast.Attribute) and _is_environ(func.value):
                read(args[0], args[1] if len(args) > 1 else None)
            elif name == "getenv" or name.startswith("env_"):
                if args:
                    read(args[0], args[1] if len(args) > 1 else None)
            elif name == "config" and getattr(func.value, "id", "") == "dj_database_url":
                env = next((k.value for k in node.keywords if k.arg == "env"), None)
                found[_literal(env, constants) if env else "DATABASE_URL"] = UNKNOWN
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if _is_environ(node.value):
                read(node.slice)
        elif (
            isinstance(node, ast.Compare)
            and _is_environ(node.comparators[0])
            and isinstance(node.ops[0], ast.In | ast.NotIn)
        ):
            read(node.left)
    return found


def variables_read() -> dict[str, object]:
    found: dict[str, object] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if "tests" in path.relative_to(PACKAGE).parts or rel in TEST_ONLY_MODULES:
            continue
        for name, default in reads_in(path.read_text(encoding="utf-8"), rel).items():
            if name not in TEST_ONLY_NAMES:
                found[name] = default
    return found


def settings_table() -> dict[str, str]:
    """{variable: its default cell} from the settings table in docs/settings.md."""
    text = SETTINGS.read_text(encoding="utf-8")
    table = text.split("## Settings (environment variables)", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]):
            rows[name] = cells[1]
    return rows


def documented_default(value) -> str:
    """How docs/settings.md writes a literal default."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def test_every_variable_the_code_reads_is_documented_and_every_documented_one_is_read():
    read, documented = variables_read(), settings_table()
    assert sorted(set(read) - set(documented)) == [], "read but not in docs/settings.md"
    assert sorted(set(documented) - set(read)) == [], "in docs/settings.md but read nowhere"


def test_the_settings_page_gives_the_default_the_code_has():
    documented = settings_table()
    wrong = {}
    for name, default in variables_read().items():
        if default in (None, "", UNKNOWN):  # none, or not a literal: the words say it
            continue
        cell = documented.get(name, "")
        first = re.match(r"`([^`]*)`", cell)
        if first is None or first.group(1) != documented_default(default):
            wrong[name] = (default, cell)
    assert wrong == {}


def test_the_collector_sees_each_way_of_reading_and_not_setting():
    source = """
import os
from os import environ
import dj_database_url
NAME = "BY_CONSTANT"
os.environ.setdefault("SET_ONLY", "1")
os.environ["ASSIGNED"] = "1"
a = os.environ.get("GOT", "x")
b = os.getenv("GETENV")
c = environ["INDEXED"]
d = "CHECKED" in os.environ
e = env_bool("A_FLAG", False)
f = env_list("A_LIST", "a,b")
g = os.environ.get(NAME, 8 * 1024)
h = dj_database_url.config(default="sqlite://")
"""
    assert reads_in(source, "example.py") == {
        "GOT": "x",
        "GETENV": None,
        "INDEXED": None,
        "CHECKED": None,
        "A_FLAG": False,
        "A_LIST": "a,b",
        "BY_CONSTANT": 8192,
        "DATABASE_URL": UNKNOWN,
    }
