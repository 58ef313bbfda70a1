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
    _name_the_operator(argv)
    execute_from_command_line(argv)


def _name_the_operator(argv: list[str]) -> None:
    """Name whoever runs an operator command (`kollega token create …`) in the audit trail.

    The server and the worker act for others (the signed-in person, the system),
    so they name no operator.
    """
    import getpass

    from kollega.audit.context import set_operator

    if len(argv) < 2 or argv[1] in SERVICES:
        return
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    command = " ".join(argv[:2])
    set_operator(f"operator {user} ({command})")


if __name__ == "__main__":
    main()
