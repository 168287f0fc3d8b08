"""Two releases in a temporary copy: a patch that corrects one value, then a minor that adds a row.
Checks the diff, SHA256SUMS, byte-identical rebuilds, and the refusals."""

import csv
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from build_report import outputs, release
from build_report.package import Package

from conftest import ROOT


def run(args, cwd, **kw):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, **kw)


def make_release(repo: Path, version: str, tests="true", flags="--without-report --date 2026-01-01"):
    env = {**__import__("os").environ, "RELEASE_TEST_COMMAND": tests}
    return run(["make", "-s", "--no-print-directory", "-C", str(ROOT), "release", f"PKG={repo}", f"VERSION={version}",
                f"RELEASE_FLAGS={flags}"], cwd=ROOT, env=env, timeout=600)


def commit(repo: Path, message: str):
    run(["git", "add", "-A"], repo)
    r = run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", message], repo)
    assert r.returncode == 0, r.stderr


def edit(repo: Path, table: str, row_id: str, field: str, value: str):
    path = repo / "data" / f"{table}.csv"
    rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
    i = rows[0].index(field)
    next(r for r in rows[1:] if r[0] == row_id)[i] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = tmp_path_factory.mktemp("release") / "pkg"
    repo.mkdir()
    for name in ("datapackage.json", "CITATION.cff", "CHANGELOG.md"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "data", repo / "data")
    (repo / ".gitignore").write_text("dist/\nbuild/\n")
    run(["git", "init", "-q"], repo)
    commit(repo, "start")
    r = make_release(repo, "0.1.0")
    assert r.returncode == 0, r.stdout + r.stderr
    commit(repo, "release 0.1.0")
    return repo


def sums_ok(dist: Path):
    lines = (dist / "SHA256SUMS").read_text().splitlines()
    assert lines
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name
    return {line.split("  ")[1] for line in lines}


def test_first_release_records_ids_and_artefacts(repo):
    assert (repo / "releases" / "0.1.0" / "ids.csv").exists()
    names = sums_ok(repo / "dist" / "0.1.0")
    assert any(n.endswith(".zip") for n in names) and any(n.endswith(".duckdb") for n in names)
    assert {f"parquet/{t}.parquet" for t in ("claims", "incidents", "tallies")} <= names
    assert json.loads((repo / ".zenodo.json").read_text())["version"] == "0.1.0"


def test_refuses_a_dirty_tree(repo):
    (repo / "stray.txt").write_text("x")
    r = make_release(repo, "0.1.1")
    (repo / "stray.txt").unlink()
    assert r.returncode != 0 and "not clean" in r.stdout


def test_refuses_a_lower_or_equal_version(repo):
    for v in ("0.0.9", "0.1.0"):
        r = make_release(repo, v)
        assert r.returncode != 0 and "not greater" in r.stdout


def test_refuses_when_tests_fail(repo):
    r = make_release(repo, "0.1.1", tests="false")
    assert r.returncode != 0 and "tests fail" in r.stdout


def test_patch_then_minor(repo):
    # patch: correct one value
    edit(repo, "incidents", "INC-0013", "notes", "Corrected note for the bakery report.")
    commit(repo, "correct a note")
    r = make_release(repo, "0.1.1")
    assert r.returncode == 0, r.stdout + r.stderr
    diff = json.loads((repo / "dist" / "0.1.1" / "diff-0.1.1.json").read_text())
    assert diff == [{"table": "incidents", "id": "INC-0013", "change": "changed", "field": "notes",
                     "old": "18000 is the number of people the bakery was designed to serve, not a harm count.",
                     "new": "Corrected note for the bakery report."}]
    sums_ok(repo / "dist" / "0.1.1")
    log = (repo / "CHANGELOG.md").read_text()
    assert log.index("## 0.1.1") < log.index("## 0.1.0") and "INC-0013: notes" in log
    assert set(release.versions(repo).values()) == {"0.1.1"}
    commit(repo, "release 0.1.1")

    # a new row is not a patch
    with open(repo / "data" / "overlap_groups.csv", "a", encoding="utf-8") as f:
        f.write("OG-07,Test group,Added to test a minor release.\n")
    edit(repo, "incidents", "INC-0013", "overlap_group", "OG-07")
    edit(repo, "incidents", "INC-0010", "overlap_group", "OG-07")
    commit(repo, "add a group")
    r = make_release(repo, "0.1.2")
    assert r.returncode != 0 and "minor" in r.stdout
    r = make_release(repo, "0.2.0")
    assert r.returncode == 0, r.stdout + r.stderr
    diff = json.loads((repo / "dist" / "0.2.0" / "diff-0.2.0.json").read_text())
    assert {"table": "overlap_groups", "id": "OG-07", "change": "added", "field": "", "old": "", "new": ""} in diff
    assert {(d["id"], d["field"]) for d in diff if d["change"] == "changed"} == {("INC-0013", "overlap_group"), ("INC-0010", "overlap_group")}
    commit(repo, "release 0.2.0")


def test_schema_change_needs_a_major(repo):
    desc = json.loads((repo / "datapackage.json").read_text())
    res = next(r for r in desc["resources"] if r["name"] == "overlap_groups")
    res["schema"]["fields"][1]["name"] = "title"  # a renamed field
    (repo / "datapackage.json").write_text(json.dumps(desc, indent=2) + "\n")
    path = repo / "data" / "overlap_groups.csv"
    path.write_text(path.read_text().replace("overlap_group,label,reason", "overlap_group,title,reason", 1))
    commit(repo, "rename a field")
    r = make_release(repo, "0.3.0")
    assert r.returncode != 0 and "major" in r.stdout and "removed or renamed" in r.stdout
    r = make_release(repo, "1.0.0")
    assert r.returncode == 0, r.stdout + r.stderr


def test_rebuilds_are_byte_identical(repo):
    # Every artefact but the DuckDB file is rebuilt from releases/0.1.0/ alone and must match SHA256SUMS;
    # the DuckDB file is kept in the record and compared by content with a fresh build.
    assert release.rebuild(repo, "0.1.0") == []
    kept = repo / "releases" / "0.1.0" / "artefacts" / "claims-0.1.0.duckdb"
    fresh = repo / "build" / "fresh.duckdb"
    outputs.write_database(release.frozen_package(repo, "0.1.0", repo / "build" / "frozen-check"), fresh)
    con = duckdb.connect()
    con.execute(f"ATTACH '{kept}' AS x (READ_ONLY)")
    con.execute(f"ATTACH '{fresh}' AS y (READ_ONLY)")
    for t in ("claims", "incidents", "tallies", "places", "sources"):
        assert con.execute(f"SELECT * FROM x.{t} EXCEPT ALL SELECT * FROM y.{t}").fetchall() == []
    comments = con.execute("SELECT comment FROM duckdb_columns() WHERE database_name='x' AND table_name='claims' AND column_name='quote'").fetchone()
    assert comments and "Verbatim" in comments[0]


def test_release_records_the_version_checksum(repo):
    latest = release.previous_version(repo)
    sums = repo / "releases" / latest / "SHA256SUMS"
    assert sums.read_bytes() == (repo / "dist" / latest / "SHA256SUMS").read_bytes()
    assert f"sha256:{hashlib.sha256(sums.read_bytes()).hexdigest()}" in (repo / "CITATION.cff").read_text()


def test_refuses_a_malformed_doi_before_writing(repo):
    before = (repo / "CITATION.cff").read_text()
    r = make_release(repo, "9.0.0", flags="--without-report --date 2026-01-01 --doi not-a-doi")
    assert r.returncode != 0 and "not a DOI" in r.stdout
    assert (repo / "CITATION.cff").read_text() == before and not (repo / "releases" / "9.0.0").exists()
