import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def copy_package(dest: Path) -> Path:
    """A throwaway copy of the package (descriptor, data, released IDs) for tests that corrupt it."""
    shutil.copy(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(ROOT / "data", dest / "data")
    if (ROOT / "releases").exists():
        shutil.copytree(ROOT / "releases", dest / "releases")
    return dest


@pytest.fixture
def package_copy(tmp_path):
    return copy_package(tmp_path)
