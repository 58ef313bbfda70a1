"""A pytest plugin that gives a test run its own data folder before Django's settings load.

pytest-django imports the settings while pytest loads its first conftest
files, before the root `conftest.py` runs, so environment variables set there
come too late: `settings.DATA_DIR` would be the developer's `./var`. pytest
imports this module first, being named by `-p kollega.ops.pytest_env` in the
`addopts` of `pyproject.toml`. Importing it is harmless outside pytest; nothing
else imports it.
"""

import os
import shutil
import tempfile

# Made here, at import, because a hook of this plugin could run after pytest-django's.
_made_data_dir = None
if "KOLLEGA_DATA_DIR" not in os.environ:
    _made_data_dir = tempfile.mkdtemp(prefix="kollega-test-")
    os.environ["KOLLEGA_DATA_DIR"] = _made_data_dir
os.environ.setdefault("KOLLEGA_TESTING", "1")


def pytest_unconfigure(config):
    """Remove the data folder this run made (secret key, collected static files, uploads)."""
    if _made_data_dir is not None:
        shutil.rmtree(_made_data_dir, ignore_errors=True)
