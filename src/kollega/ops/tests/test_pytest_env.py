"""The test run keeps its files out of a developer's `./var` (kollega.ops.pytest_env)."""

import os
import tempfile
from pathlib import Path

from django.conf import settings


def test_the_test_run_has_its_own_data_folder():
    developer_var = (Path.cwd() / "var").resolve()
    data_dir = Path(settings.DATA_DIR)
    assert data_dir != developer_var
    assert data_dir == Path(os.environ["KOLLEGA_DATA_DIR"]).resolve()
    assert data_dir.is_relative_to(Path(tempfile.gettempdir()).resolve())
    # The secret key, uploads and collected static files follow the data folder.
    assert Path(settings.MEDIA_ROOT).is_relative_to(data_dir)
    assert Path(settings.STATIC_ROOT).is_relative_to(data_dir)
    assert (data_dir / "secret_key").is_file()
