"""The `kollega` command: Django's management commands under the product's name.

`kollega serve`, `kollega demo`, `kollega createadmin` and every other command
take `--help`. `kollega` with no arguments lists them.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Kollega command with the settings module preselected."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kollega.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "kollega"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
