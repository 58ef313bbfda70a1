"""The `kollega` command: Django's management commands under the product's name.

`kollega serve`, `kollega demo`, `kollega createadmin` and every other command
take `--help`. `kollega` with no arguments lists them.
"""

import os
import sys

SERVICES = {"serve", "worker", "runserver"}


def main(argv: list[str] | None = None) -> None:
    """Run a Kollega command with the settings module preselected."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "kollega"
    with operator_for(argv):
        execute_from_command_line(argv)


def operator_for(argv: list[str]):
    """A block in which writes are the audit trail's operator of command `argv`."""
    from kollega.audit.context import acting_operator

    return acting_operator(_operator_name(argv))


def _operator_name(argv: list[str]) -> str:
    """Who runs an operator command (`kollega token create …`), for the audit trail.

    The server and the worker act for others (the signed-in person, the system),
    so they name no operator.
    """
    import getpass

    if len(argv) < 2 or argv[1] in SERVICES:
        return ""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"operator {user} ({' '.join(argv[:2])})"


if __name__ == "__main__":
    main()
