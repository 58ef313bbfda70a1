"""The README and the command reference name the commands and folders the code has.

A newcomer reads the README's folder map to find where a part lives, and
docs/commands.md to learn what `kollega` can do; both go stale silently when a
command or an app is added, renamed or removed. These tests read them as text and
compare with the code: the product's own management commands (and their
sub-commands), Django's commands the table names, and every app folder under
`src/kollega`.
"""

import argparse
import re
from pathlib import Path

from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "src" / "kollega"
README = ROOT / "README.md"
COMMANDS = ROOT / "docs" / "commands.md"


def readme_section(title: str) -> str:
    """The text under `## title`, up to the next heading of the same level."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no section '## {title}'"
    return match.group(1)


def command_table() -> dict[str, set[str]]:
    """Each command the command table's first column names, with the sub-commands named.

    A cell reads like `kollega token create USERNAME …`, `token list USERNAME`: a
    segment starts with `kollega NAME`, or with the name of the cell's command again.
    """
    named: dict[str, set[str]] = {}
    table = COMMANDS.read_text(encoding="utf-8").splitlines()
    rows = [line for line in table if line.startswith("| `")]
    assert rows, "docs/commands.md's command table has no rows"
    for row in rows:
        first_cell = row.split(" | ")[0]
        command = None
        for segment in re.findall(r"`([^`]+)`", first_cell):
            words = segment.split()
            if words[0] == "kollega" and len(words) > 1:
                command, rest = words[1], words[2:]
            elif words[0] == command:
                rest = words[1:]
            else:
                continue
            subcommands = named.setdefault(command, set())
            if rest and re.fullmatch(r"[a-z][a-z_-]*", rest[0]):
                subcommands.add(rest[0])
    return named


def product_commands() -> set[str]:
    """The management commands Kollega defines itself."""
    return {
        path.stem
        for path in PACKAGE.glob("**/management/commands/*.py")
        if not path.name.startswith("_")
    }


def subcommands_of(name: str) -> set[str]:
    """The first positional word a command accepts: its sub-parsers or its choices."""
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("kollega", name)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
        if not action.option_strings and action.choices:
            return set(action.choices)
    return set()


def folder_map() -> tuple[set[str], set[str], set[str]]:
    """Folders under src/kollega, files there, and top-level folders the map names."""
    block = re.search(r"```\n(.*?)```", readme_section("Where each part lives"), re.S)
    assert block, "README.md's 'Where each part lives' has no folder map"
    package_folders, package_files, top_folders = set(), set(), set()
    for line in block.group(1).splitlines():
        # Names start a line (top level) or follow two spaces (under src/kollega/);
        # a line indented further continues the description above it.
        if line.startswith("src/kollega/") or not re.match(r"(  )?\S", line):
            continue
        names = []
        # The names, then (after two spaces, or at the first word that names no file or
        # folder) the description.
        for word in re.split(r"\s{2,}", line.strip())[0].split():
            if not re.fullmatch(r"[\w./-]+(/|\.py)", word):
                break
            names.append(word)
        if line.startswith("  "):
            for name in names:
                if name.endswith("/"):
                    package_folders.add(name.rstrip("/"))
                else:
                    package_files.add(name)
        else:
            top_folders.update(name.rstrip("/") for name in names)
    return package_folders, package_files, top_folders


def app_folders() -> set[str]:
    """Every Django app under src/kollega (a package with apps.py), e.g. `content/wikis`."""
    return {path.parent.relative_to(PACKAGE).as_posix() for path in PACKAGE.glob("**/apps.py")}


def test_every_command_of_the_product_is_in_the_command_table():
    missing = product_commands() - set(command_table())
    assert not missing, f"kollega commands docs/commands.md does not name: {missing}"


def test_every_command_in_the_command_table_exists():
    unknown = set(command_table()) - set(get_commands())
    assert not unknown, f"commands in docs/commands.md that `kollega` does not have: {unknown}"


def test_the_command_table_names_exactly_the_sub_commands_of_the_products_commands():
    for name, named in command_table().items():
        if name not in product_commands():
            continue
        real = subcommands_of(name)
        assert named == real, (
            f"`kollega {name}`: docs/commands.md names {sorted(named) or 'no sub-command'}, "
            f"the command takes {sorted(real) or 'none'}"
        )


def test_every_app_folder_is_in_the_folder_map():
    package_folders, _, _ = folder_map()
    missing = app_folders() - package_folders
    assert not missing, f"apps in src/kollega that the README's folder map does not name: {missing}"


def test_every_folder_and_file_in_the_folder_map_exists():
    package_folders, package_files, top_folders = folder_map()
    gone = {f"src/kollega/{name}/" for name in package_folders if not (PACKAGE / name).is_dir()}
    gone |= {f"src/kollega/{name}" for name in package_files if not (PACKAGE / name).is_file()}
    gone |= {f"{name}/" for name in top_folders if not (ROOT / name).is_dir()}
    assert not gone, f"the README's folder map names what does not exist: {gone}"


def test_the_readme_starts_the_intranet_with_make_run_and_tests_with_make_test():
    blocks = re.findall(r"```\n(.*?)\n```", readme_section("Two commands"), re.S)
    assert blocks == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
