"""The documentation's examples are run as written, as a reader would: the README's Python blocks from the
repository root, and the block of CLI commands in docs/maintaining.md in a temporary checkout. Every command of
the CLI and every documented make target is in the maintainers' guide."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, checkout

from build_report import cli, model

README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "maintaining.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
CLI_BLOCKS = [b for b in re.findall(r"```sh\n(.*?)```", GUIDE, re.DOTALL) if b.startswith("python -m build_report")]


def test_readme_has_examples():
    assert len(BLOCKS) >= 3 and len(CLI_BLOCKS) == 1


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i + 1}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code):
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip(), "an example should print what it loaded"


def test_readme_cli_commands_run(tmp_path):
    """Each line of the CLI block, in a checkout, with the virtualenv's python first on the PATH."""
    pkg = checkout(tmp_path / "pkg")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in CLI_BLOCKS[0].splitlines():
        r = subprocess.run(["bash", "-c", line], cwd=pkg, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, (line, r.stdout[-2000:], r.stderr[-2000:])
        assert "Traceback" not in r.stderr, line


def test_nothing_points_outside_the_repository():
    """No tracked text names a path of this machine or climbs out of the repository (the hostile and malformed
    inputs, which try to, excepted)."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    outside = re.compile(r"(/(work|home|tmp|Users)/|\.\.[/]\.\.[/]|\.\.[/]shared)")
    found = []
    for name in files:
        if name.startswith(("tests/hostile/", "tests/malformed/", "data/", "evidence/", "releases/")):
            continue
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        found += [f"{name}: {m.group(0)}" for m in outside.finditer(text)]
    assert found == [], found


def test_guide_documents_every_command_and_target():
    commands = set(next(a for a in cli.parser()._actions if a.dest == "command").choices)
    assert commands <= set(re.findall(r"^\| `([a-z-]+)[ `]", GUIDE, re.MULTILINE)), commands
    assert commands <= set(re.findall(r"python -m build_report ([a-z-]+)", GUIDE)) | {"release"}
    targets = re.findall(r"^## ([a-z]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert targets and all(f"make {t}" in GUIDE for t in targets), targets


def test_readme_is_for_users():
    """The README says what the data is, the two commands, how to use and cite it, and its licence; the rest
    is in docs/maintaining.md, which it links to."""
    headings = re.findall(r"^## (.+)$", README, re.MULTILINE)
    for wanted in ("The two commands", "Use the data", "How to cite", "Licence"):
        assert wanted in headings, headings
    assert "make report" in README and "make test" in README
    assert "docs/maintaining.md" in README and len(README.splitlines()) <= 200


def test_readme_lists_every_table_of_the_model():
    """The README's table of tables follows the model: a table added to the model and not described fails here."""
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", README, re.MULTILINE))
    assert set(model.TABLES) <= listed, set(model.TABLES) - listed


def test_readme_quotes_the_last_bench():
    """The README's speed figures are those of docs/benchmarks.json (written by make bench), not older ones."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(
        r"package of ([\d,]+) valid rows in ([\d.]+) s \(([\d.]+) s of CPU\) and at most ([\d,]+) MB",
        " ".join(readme.split()),
    )
    assert m, "the README no longer quotes the bench"
    runs = json.loads((ROOT / "docs" / "benchmarks.json").read_text(encoding="utf-8"))["runs"]
    largest = max((r for r in runs if r["package"] == "valid"), key=lambda r: r["rows"])
    quoted = (int(m[1].replace(",", "")), float(m[2]), float(m[3]), int(m[4].replace(",", "")))
    assert quoted == (largest["rows"], largest["seconds"], largest["cpu_seconds"], largest["peak_mb"])
