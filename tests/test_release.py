"""Releases in a temporary repository. One fixture runs the whole history first (0.1.0, a patch, a
refused patch and a minor, a refused minor and a major), keeping what each step produced; the tests
only read that record, so they do not depend on their order. Refusal tests run on the finished
history and check that nothing was written."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT

from build_report import artefacts, csvio, outputs, release, releases


def run(args, cwd, **kw):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, **kw)


def make_release(repo: Path, version: str, tests="true", flags="--without-report --date 2026-01-01"):
    env = {**os.environ, "RELEASE_TEST_COMMAND": tests}
    return run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "-C",
            str(ROOT),
            "release",
            f"PKG={repo}",
            f"VERSION={version}",
            f"RELEASE_FLAGS={flags}",
        ],
        cwd=ROOT,
        env=env,
        timeout=600,
    )


def commit(repo: Path, message: str):
    run(["git", "add", "-A"], repo)
    r = run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", message], repo)
    assert r.returncode == 0, r.stderr


def edit(repo: Path, table: str, row_id: str, field: str, value: str):
    path = repo / "data" / f"{table}.csv"
    header, rows = csvio.read(path)
    next(r for r in rows if r[header[0]] == row_id)[field] = value
    csvio.write(path, header, rows)


def append(repo: Path, table: str, row: list[str]):
    path = repo / "data" / f"{table}.csv"
    header, rows = csvio.read(path)
    csvio.write(path, header, [*rows, dict(zip(header, row))])


def note(repo: Path, text: str):
    """A changelog note under "## Unreleased": the reason a release gives for the rows it names."""
    path = repo / "CHANGELOG.md"
    path.write_text(path.read_text().replace("## Unreleased\n", f"## Unreleased\n\n- {text}\n", 1))


def new_repo(base: Path) -> Path:
    repo = base / "pkg"
    repo.mkdir()
    for name in ("datapackage.json", "CITATION.cff", "CHANGELOG.md"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "data", repo / "data")
    (repo / ".gitignore").write_text("dist/\nbuild/\n")
    run(["git", "init", "-q"], repo)
    commit(repo, "start")
    return repo


def step(repo: Path, version: str, steps: dict) -> None:
    """Release a version and keep what it produced, before later steps overwrite CHANGELOG.md and friends."""
    r = make_release(repo, version)
    steps[version] = {
        "result": r,
        "changelog": (repo / "CHANGELOG.md").read_text(),
        "versions": release.versions(repo),
        "citation": (repo / "CITATION.cff").read_text(),
    }
    dist = repo / "dist" / version
    if r.returncode == 0:
        steps[version]["diff"] = json.loads((dist / f"diff-{version}.json").read_text())
        commit(repo, f"release {version}")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    repo = new_repo(tmp_path_factory.mktemp("release"))
    steps: dict = {}
    step(repo, "0.1.0", steps)
    edit(repo, "incidents", "INC-0013", "notes", "Corrected note for the bakery report.")  # a correction: patch
    commit(repo, "correct a note without saying why")
    step(repo, "0.1.1", steps)  # refused: a changed row needs a reason
    steps["0.1.1-unexplained"] = steps.pop("0.1.1")
    note(repo, "**Bakery note corrected.** INC-0013's note reworded.")
    commit(repo, "say why")
    step(repo, "0.1.1", steps)
    append(
        repo, "overlap_groups", ["OG-99", "Test group", "Added to test a minor release: INC-0010 and INC-0013."]
    )  # a new row: minor
    edit(repo, "incidents", "INC-0013", "overlap_group", "OG-99")
    edit(repo, "incidents", "INC-0010", "overlap_group", "OG-99")
    note(repo, "**A test group.** OG-99 holds INC-0013 and INC-0010.")
    commit(repo, "add a group")
    step(repo, "0.1.2", steps)
    step(repo, "0.2.0", steps)
    # A changed meaning: major. (A rename would also be one, but the data model in the code names every field, so
    # a renamed field cannot pass the gate without a change to the model; a description the model leaves free.)
    desc = json.loads((repo / "datapackage.json").read_text())
    res = next(r for r in desc["resources"] if r["name"] == "overlap_groups")
    field = next(f for f in res["schema"]["fields"] if f["name"] == "label")
    field["description"] = "A short name for the group, now also used as its title on the pages."
    (repo / "datapackage.json").write_text(json.dumps(desc, indent=2) + "\n")
    commit(repo, "change a meaning")
    step(repo, "0.3.0", steps)
    step(repo, "1.0.0", steps)
    return repo, steps


def ok(steps, version):
    r = steps[version]["result"]
    assert r.returncode == 0, r.stdout + r.stderr
    return steps[version]


def sums_ok(dist: Path):
    lines = (dist / "SHA256SUMS").read_text().splitlines()
    assert lines
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name
    return {line.split("  ")[1] for line in lines}


def test_first_release_records_ids_and_artefacts(history):
    repo, steps = history
    ok(steps, "0.1.0")
    assert (repo / "releases" / "0.1.0" / "ids.csv").exists()
    names = sums_ok(repo / "dist" / "0.1.0")
    assert any(n.endswith(".zip") for n in names) and any(n.endswith(".xlsx") for n in names)
    assert {f"parquet/{t}.parquet" for t in ("claims", "incidents", "tallies")} <= names
    assert (repo / "releases" / "0.1.0" / "artefacts" / "claims-0.1.0.duckdb").exists()


def test_patch_release_diff_and_changelog(history):
    repo, steps = history
    s = ok(steps, "0.1.1")
    refused = steps["0.1.1-unexplained"]["result"]
    assert refused.returncode != 0 and "no reason" in refused.stdout and "incidents INC-0013" in refused.stdout
    assert s["diff"] == [
        {
            "table": "incidents",
            "id": "INC-0013",
            "change": "changed",
            "field": "notes",
            "old": "18000 is the number of people the bakery was designed to serve, not a harm count.",
            "new": "Corrected note for the bakery report.",
            "reason": "Bakery note corrected",
        }
    ]
    sums_ok(repo / "dist" / "0.1.1")
    assert s["changelog"].index("## 0.1.1") < s["changelog"].index("## 0.1.0") and "INC-0013: notes" in s["changelog"]
    assert set(s["versions"].values()) == {"0.1.1"}


def test_a_new_row_needs_a_minor(history):
    repo, steps = history
    refused = steps["0.1.2"]["result"]
    assert refused.returncode != 0 and "minor" in refused.stdout
    assert not (repo / "releases" / "0.1.2").exists()
    s = ok(steps, "0.2.0")
    assert {
        "table": "overlap_groups",
        "id": "OG-99",
        "change": "added",
        "field": "",
        "old": "",
        "new": "",
        "reason": "A test group",
    } in s["diff"]
    assert {(d["id"], d["field"]) for d in s["diff"] if d["change"] == "changed"} == {
        ("INC-0013", "overlap_group"),
        ("INC-0010", "overlap_group"),
    }


def test_schema_change_needs_a_major(history):
    _repo, steps = history
    refused = steps["0.3.0"]["result"]
    assert refused.returncode != 0 and "major" in refused.stdout and "meaning (description) changed" in refused.stdout
    ok(steps, "1.0.0")


def test_release_records_its_identifier(history):
    # The citation states the SHA-256 of the release's manifest, and so does the citation inside the zip.
    repo, steps = history
    for version in ("0.1.0", "0.1.1", "0.2.0", "1.0.0"):
        record = repo / "releases" / version
        manifest = (record / releases.MANIFEST).read_bytes()
        assert f"sha256:{hashlib.sha256(manifest).hexdigest()}" in steps[version]["citation"]
        assert releases.identifier(releases.release_manifest(record)) == hashlib.sha256(manifest).hexdigest()
        assert (record / "CITATION.cff").read_text() == steps[version]["citation"]
        assert not (record / "errata.csv").exists()  # every earlier citation in this history is right


def test_rebuilds_are_byte_identical(history):
    # Every artefact but the DuckDB file is rebuilt from releases/<v>/ alone and must match SHA256SUMS;
    # the DuckDB file is kept in the record and compared by content with a fresh build.
    repo, _ = history
    for version in ("0.1.0", "1.0.0"):
        assert artefacts.rebuild(repo, version) == []
    kept = repo / "releases" / "0.1.0" / "artefacts" / "claims-0.1.0.duckdb"
    fresh = repo / "build" / "fresh.duckdb"
    frozen = artefacts.frozen_package(repo, "0.1.0", repo / "build" / "frozen-check")
    outputs.write_database(frozen, fresh)
    con = duckdb.connect()
    con.execute(f"ATTACH '{kept}' AS x (READ_ONLY)")
    con.execute(f"ATTACH '{fresh}' AS y (READ_ONLY)")
    for t in (r["name"] for r in frozen.table_resources()):
        assert con.execute(f"SELECT * FROM x.{t} EXCEPT ALL SELECT * FROM y.{t}").fetchall() == []
    comments = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE database_name='x' AND table_name='claims' AND column_name='quote'"
    ).fetchone()
    assert comments and "Verbatim" in comments[0]


def files(repo: Path) -> dict[Path, bytes]:
    """Every file of the repository but git's own, with its bytes."""
    return {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo).parts}


def assert_refused_without_writing(repo: Path, version: str, why: str, **kw):
    before = files(repo)
    r = make_release(repo, version, **kw)
    assert r.returncode != 0 and why in r.stdout, r.stdout + r.stderr
    assert files(repo) == before  # not one file written, changed or removed


def test_refuses_a_dirty_tree(history):
    repo, _ = history
    (repo / "stray.txt").write_text("x")
    try:
        assert_refused_without_writing(repo, "1.0.1", "not clean")
    finally:
        (repo / "stray.txt").unlink()


def test_refuses_a_lower_or_equal_version(history):
    repo, _ = history
    assert_refused_without_writing(repo, "0.0.9", "not greater")
    r = make_release(repo, "1.0.0")  # already released: its record exists, so only the refusal is checked
    assert r.returncode != 0 and "not greater" in r.stdout


def test_refuses_when_validation_fails(history, tmp_path):
    repo = tmp_path / "pkg"
    shutil.copytree(history[0], repo, symlinks=True)  # a copy, so that the shared history stays as it is
    edit(repo, "claims", "CLM-0007", "kind", "rumour")
    commit(repo, "a data fault")
    assert_refused_without_writing(repo, "1.0.1", "make validate fails")


def test_refuses_when_tests_fail(history):
    repo, _ = history
    assert_refused_without_writing(repo, "1.0.1", "tests fail", tests="false")


def test_refuses_a_malformed_doi(history):
    repo, _ = history
    assert_refused_without_writing(
        repo, "1.0.1", "not a DOI", flags="--without-report --date 2026-01-01 --doi not-a-doi"
    )


def test_a_note_names_rows_by_id_or_range():
    note = "**Searches.** SRCH-0262–SRCH-0364 were the reviewers'; INC-0014 was withdrawn."
    assert releases.names_row(note, "INC-0014") and releases.names_row(note, "SRCH-0300")
    assert not releases.names_row(note, "SRCH-0365") and not releases.names_row(note, "INC-001")
    assert not releases.names_row(note, "INC-00145")
