"""The house rules a reviewer would otherwise check by hand: lint, format, and no stray binaries."""

import ast
import subprocess
import sys
import tomllib
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


def typed_modules() -> list[Path]:
    """The modules mypy checks, as pyproject.toml lists them (files and folders)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        listed = tomllib.load(f)["tool"]["mypy"]["files"]
    out: list[Path] = []
    for name in listed:
        path = ROOT / name
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def test_mypy():
    r = run(str(BIN / "mypy"))
    assert r.returncode == 0, r.stdout + r.stderr


def test_public_functions_of_the_typed_modules_have_type_hints():
    """mypy passes a function with no hints at all; a public one must say what it takes and gives."""
    bare = []
    for path in typed_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [tree.body] + [n.body for n in tree.body if isinstance(n, ast.ClassDef)]
        for body in scopes:
            for fn in body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                args = [a for a in fn.args.args + fn.args.kwonlyargs if a.arg not in ("self", "cls")]
                if fn.returns is None or any(a.annotation is None for a in args):
                    bare.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}")
    assert bare == []
