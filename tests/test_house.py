"""The house rules a reviewer would otherwise check by hand: lint, format, and no stray binaries."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAX_TRACKED_BYTES = 1_000_000  # release artefacts aside, nothing tracked should need to be this large


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("command", [("check",), ("format", "--check")], ids=["lint", "format"])
def test_ruff(command):
    r = run(str(BIN / "ruff"), *command, ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_large_tracked_file_outside_release_artefacts():
    listed = run("git", "ls-files", "-z")
    assert listed.returncode == 0, listed.stderr
    large = []
    for name in filter(None, listed.stdout.split("\0")):
        parts = Path(name).parts
        if parts[0] == "releases" and "artefacts" in parts:
            continue
        path = ROOT / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size > MAX_TRACKED_BYTES:
            large.append(f"{name} ({path.stat().st_size:,} bytes)")
    assert not large, "tracked files over 1 MB: " + ", ".join(large)
